// fcto-corpus-path: app/api/webhooks/stripe/route.ts
export async function POST(req: Request) {
  const body = await req.text();
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, secret);
  await fulfil(event.data.object);
  return new Response("ok");
}
