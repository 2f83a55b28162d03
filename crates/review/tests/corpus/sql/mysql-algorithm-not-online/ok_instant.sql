-- dialect: mysql
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=INSTANT;
