SET lock_timeout = '2s';
-- the NOT VALID add was in the previous migration
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
