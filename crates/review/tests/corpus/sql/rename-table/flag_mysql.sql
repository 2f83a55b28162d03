-- dialect: mysql
SET SESSION lock_wait_timeout = 5;
RENAME TABLE users TO accounts;
