ALTER TABLE users ADD COLUMN nickname text;
SET lock_timeout = '2s';
