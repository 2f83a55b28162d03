// The booking widget embedded on the restaurant sites.
export interface Booking {
  name: string;
  email: string;
  party: number;
  date: string;
}

export async function submit(booking: Booking): Promise<number> {
  const response = await fetch("/bookings", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(booking),
  });
  const created = await response.json();
  return created.id;
}
