-- Technology audits per client, kept whole (the audit's JSON) so any two
-- can be compared later, and the CTO's own notes that go into the report.
CREATE TABLE audits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    headline TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX audits_by_client ON audits (client_id, id);

CREATE TABLE audit_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX audit_notes_by_client ON audit_notes (client_id, id);
