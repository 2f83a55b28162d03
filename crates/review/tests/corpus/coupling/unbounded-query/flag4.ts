// fcto-corpus-path: src/api/users.ts
export async function GET() {
  const users = await prisma.user.findMany();
  return Response.json(users);
}
