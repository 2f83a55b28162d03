-- What a client's drafts may say (prices, FAQs, policies), one row per
-- document name, and the voice learned from its sent replies.
CREATE TABLE mail_knowledge (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (client_id, name)
);

CREATE TABLE mail_voice (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL UNIQUE REFERENCES clients(id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
