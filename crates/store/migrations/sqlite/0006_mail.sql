-- The email responder's mailbox per client: where to connect and the
-- password sealed by fcto (the key never reaches the database), how far
-- each folder is synced, and the messages read, once each.
CREATE TABLE mail_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL UNIQUE REFERENCES clients(id) ON DELETE CASCADE,
    imap_server TEXT NOT NULL,
    smtp_server TEXT,
    username TEXT NOT NULL,
    secret_nonce TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE mail_folders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    uid_validity INTEGER NOT NULL,
    uid_next INTEGER NOT NULL,
    highest_modseq INTEGER,
    synced_at TEXT NOT NULL,
    UNIQUE (client_id, name)
);

-- message_key: the Message-ID, or a digest of the message when it has none;
-- one row per client and key however often a folder is renumbered.
CREATE TABLE mail_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    message_key TEXT NOT NULL,
    folder TEXT NOT NULL,
    uid INTEGER NOT NULL,
    thread_id TEXT,
    from_email TEXT,
    subject TEXT NOT NULL,
    sent_at TEXT,
    triage TEXT NOT NULL,
    intent TEXT,
    needs_person INTEGER NOT NULL,
    detail TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (client_id, message_key)
);
CREATE INDEX mail_messages_by_client ON mail_messages (client_id, id);
