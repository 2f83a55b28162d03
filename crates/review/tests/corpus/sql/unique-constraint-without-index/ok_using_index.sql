SET lock_timeout = '2s';
-- the index was built CONCURRENTLY in the previous migration
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;
