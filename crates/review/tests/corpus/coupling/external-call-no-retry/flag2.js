async function notify(order) {
  await fetch(process.env.WEBHOOK_URL, {
    method: "POST",
    body: JSON.stringify(order),
    signal: AbortSignal.timeout(5000),
  });
}
