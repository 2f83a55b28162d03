// fcto-corpus-path: src/routes/orders.js
router.get("/orders", async (req, res) => {
  const orders = await Order.findAll({ where: { status: "open" }, limit: 50, offset: req.query.offset });
  const recent = await Order.find({}).limit(20);
  res.json(orders);
});
