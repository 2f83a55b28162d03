SET lock_timeout = '2s';
-- PG 11+: a constant default is stored in the catalog, no rewrite
ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
