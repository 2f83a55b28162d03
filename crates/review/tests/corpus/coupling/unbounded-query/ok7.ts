// fcto-corpus-path: src/services/export.ts
export async function exportAll() {
  // Background export, not a request path: streaming every row is the point.
  return prisma.order.findMany();
}
