SET lock_timeout = '2s';
-- now() is stable: evaluated once, no rewrite on PG 11+
ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
