export async function load(id) {
  const res = await fetch(`${BASE}/items/${id}`, {
    headers: { accept: "application/json" },
  });
  return res.json();
}
