-- XOAUTH2 with a refresh token (RFC 6749 §6): the provider's token endpoint
-- and fcto's client id there. The refresh token and client secret are in
-- the sealed secret; access tokens are never stored.
ALTER TABLE mail_accounts ADD COLUMN oauth_token_url TEXT;
ALTER TABLE mail_accounts ADD COLUMN oauth_client_id TEXT;
