-- What a reply needs of its inquiry (where to send it, how to thread it),
-- and the approval queue: one draft per inquiry, its record (model,
-- latency, prompt size, the examples and passages it was given), the
-- approver's decision and edits, and the send's state machine. The reply's
-- Message-ID is fixed when the draft is made, so after a crash the Sent
-- folder says whether it went.
ALTER TABLE mail_accounts ADD COLUMN from_address TEXT;
ALTER TABLE mail_messages ADD COLUMN reply_to TEXT;
ALTER TABLE mail_messages ADD COLUMN refs TEXT;

CREATE TABLE mail_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES mail_messages(id) ON DELETE CASCADE,
    -- queued, approved, sending, submitting, sent, rejected, handled
    -- (answered outside fcto), uncertain (a person must check), failed
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    drafted_body TEXT NOT NULL,
    flags TEXT NOT NULL,
    model TEXT NOT NULL,
    latency_ms INTEGER NOT NULL,
    prompt_chars INTEGER NOT NULL,
    examples TEXT NOT NULL,
    passages TEXT NOT NULL,
    reply_message_id TEXT NOT NULL,
    from_address TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    in_reply_to TEXT,
    refs TEXT NOT NULL,
    drafts_folder TEXT,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    reason TEXT,
    edit_distance INTEGER,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (client_id, message_id),
    UNIQUE (reply_message_id)
);
CREATE INDEX mail_drafts_by_status ON mail_drafts (client_id, status);
