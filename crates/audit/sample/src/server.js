// HTTP entry point: bookings API for the widget and the WhatsApp bot.
const express = require("express");
const { Pool } = require("pg");
const bookings = require("./bookings");

const app = express();
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

app.use(express.json());

/* Health check for the load balancer. */
app.get("/health", (req, res) => res.send("ok"));

app.post("/bookings", async (req, res) => {
  const booking = await bookings.create(pool, req.body);
  res.status(201).json(booking);
});

app.listen(process.env.PORT || 3000);
