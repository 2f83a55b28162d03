export function names(items, ctx) {
  const seen = items.map((i) => i.name.trim());
  for (const item of items) {
    const page = ctx.query.page;
    const match = seen.find((n) => n === item.name);
    console.log(`db.query(${item.id}) would be N+1`);
  }
  return seen;
}
