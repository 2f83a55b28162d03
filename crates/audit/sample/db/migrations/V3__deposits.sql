-- Deposits taken through Stripe for large parties.
CREATE TABLE deposits (
    id BIGSERIAL PRIMARY KEY,
    booking_id BIGINT NOT NULL,
    amount_pence INTEGER NOT NULL,
    stripe_payment_intent TEXT NOT NULL
);

CREATE INDEX bookings_email_idx ON bookings (email);
ALTER TABLE bookings ADD CONSTRAINT bookings_party_positive CHECK (party > 0);
