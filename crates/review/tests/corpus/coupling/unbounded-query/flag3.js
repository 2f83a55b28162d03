// fcto-corpus-path: src/routes/orders.js
router.get("/orders", async (req, res) => {
  const orders = await Order.findAll({ where: { status: "open" } });
  res.json(orders);
});
