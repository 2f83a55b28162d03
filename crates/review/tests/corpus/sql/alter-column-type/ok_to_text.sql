SET lock_timeout = '2s';
-- varchar(n) -> text is binary-compatible: catalog only
ALTER TABLE orders ALTER COLUMN note TYPE text;
