SET lock_timeout = '2s';
ALTER TABLE archive ADD COLUMN note text;
INSERT INTO archive (id) SELECT id FROM orders;
