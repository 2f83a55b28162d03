import pRetry from "p-retry";

async function notify(order) {
  await pRetry(() => fetch(process.env.WEBHOOK_URL, {
    method: "POST",
    body: JSON.stringify(order),
    signal: AbortSignal.timeout(5000),
  }), { retries: 4 });
}

async function read(order) {
  return fetch(process.env.API_URL, { method: "GET", signal: AbortSignal.timeout(5000) });
}
