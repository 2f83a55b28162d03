async function enrich(orders) {
  const customers = await Customer.findAll({ where: { id: orders.map((o) => o.customerId) } });
  for (const order of orders) {
    order.customer = customers.find((c) => c.id === order.customerId);
  }
  return orders;
}
