// fcto-corpus-path: app/api/webhooks/stripe/route.ts
export async function POST(req: Request) {
  const event = await req.json();
  await fulfil(event.data.object);
  return new Response("ok");
}
