export async function load(id) {
  const res = await fetch(`${BASE}/items/${id}`, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(10_000),
  });
  const other = await fetch(url, options);
  const text = "fetch(url) without signal";
  return api.fetch(id);
}
export const follow = (locationURL, requestOpts) => fetch(new Request(locationURL, requestOpts));
export const replay = (request) => fetch(request);
