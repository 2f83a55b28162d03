app.post("/webhooks/github", express.json(), async (req, res) => {
  await handlePush(req.body);
  res.sendStatus(200);
});
