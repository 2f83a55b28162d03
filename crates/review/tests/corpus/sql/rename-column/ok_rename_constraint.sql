SET lock_timeout = '2s';
ALTER TABLE users RENAME CONSTRAINT users_a TO users_b;
