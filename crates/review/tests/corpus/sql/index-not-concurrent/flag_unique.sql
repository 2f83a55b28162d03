SET lock_timeout = '2s';
CREATE UNIQUE INDEX users_email_idx ON users (email);
