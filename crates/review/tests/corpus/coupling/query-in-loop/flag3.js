async function enrich(orders) {
  for (const order of orders) {
    order.customer = await Customer.findByPk(order.customerId);
  }
  return orders;
}
