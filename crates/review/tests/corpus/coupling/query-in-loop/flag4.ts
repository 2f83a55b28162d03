export async function load(ids: string[]) {
  return Promise.all(
    ids.map((id) => prisma.user.findUnique({ where: { id } })),
  );
}
