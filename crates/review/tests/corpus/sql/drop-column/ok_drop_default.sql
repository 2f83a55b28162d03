SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN legacy_flag DROP DEFAULT;
