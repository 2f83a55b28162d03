SET lock_timeout = '2s';
ALTER TABLE events ADD COLUMN seen_at timestamp without time zone;
