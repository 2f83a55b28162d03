SET lock_timeout = '2s';
-- CHECK (email IS NOT NULL) NOT VALID was added in the previous migration
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_email_not_null;
