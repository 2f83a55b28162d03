-- dialect: mysql
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD INDEX orders_user (user_id), ALGORITHM=INPLACE;
