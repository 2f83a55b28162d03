-- dialect: mysql
ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=INSTANT;
