const _ = require("lodash");

// Deposits are taken for parties of eight or more.
const DEPOSIT_FROM = 8;

async function create(pool, body) {
  const booking = _.pick(body, ["name", "email", "party", "date"]);
  const { rows } = await pool.query(
    "INSERT INTO bookings (name, email, party, date) VALUES ($1, $2, $3, $4) RETURNING id",
    [booking.name, booking.email, booking.party, booking.date]
  );
  return { id: rows[0].id, deposit: booking.party >= DEPOSIT_FROM };
}

module.exports = { create };
