-- How the mailbox is reached: tls, starttls or none (loopback only), and a
-- CA file for a server with a private certificate.
ALTER TABLE mail_accounts ADD COLUMN imap_security TEXT;
ALTER TABLE mail_accounts ADD COLUMN ca_file TEXT;
-- password or xoauth2 (the sealed secret is then an OAuth 2.0 access token).
ALTER TABLE mail_accounts ADD COLUMN auth_method TEXT;
-- How SMTP is reached (tls, starttls, none), and whether the SMTP server files
-- sent mail in Sent itself (Gmail, Microsoft 365): then fcto does not.
ALTER TABLE mail_accounts ADD COLUMN smtp_security TEXT;
ALTER TABLE mail_accounts ADD COLUMN server_saves_sent INTEGER;
