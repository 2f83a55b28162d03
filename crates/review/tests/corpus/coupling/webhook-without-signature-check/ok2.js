app.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], secret);
  handle(event);
  res.sendStatus(200);
});
app.post("/orders", async (req, res) => {
  res.json(await createOrder(req.body));
});
