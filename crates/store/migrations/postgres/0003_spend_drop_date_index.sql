-- The (client_id, tx_date) index cost a million-row import about 2.5 s of
-- its 8; every reader of spend_transactions loads a client's rows whole and
-- sorts them in memory, so nothing reads through it.
DROP INDEX IF EXISTS spend_transactions_client_date;
