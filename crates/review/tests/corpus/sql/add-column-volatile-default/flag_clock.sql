SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
