-- Engagements: clients, time log, decisions, systems, web users and sessions.
-- Dates are ISO-8601 TEXT and flags are integers on both backends so one set
-- of queries serves SQLite and PostgreSQL.
CREATE TABLE clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sector TEXT,
    currency TEXT NOT NULL DEFAULT 'GBP',
    tier TEXT NOT NULL,
    owner_name TEXT,
    owner_email TEXT,
    start_date TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE time_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    entry_date TEXT NOT NULL,
    hours REAL NOT NULL,
    kind TEXT NOT NULL,
    activity TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX time_entries_client_date ON time_entries (client_id, entry_date);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    context TEXT NOT NULL,
    options TEXT NOT NULL,
    outcome TEXT,
    status TEXT NOT NULL,
    decide_by TEXT,
    decided_by TEXT,
    decided_by_team INTEGER NOT NULL DEFAULT 0,
    decided_on TEXT,
    superseded_by INTEGER,
    created_on TEXT NOT NULL,
    UNIQUE (client_id, number)
);

CREATE TABLE systems (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    live_date TEXT,
    owner TEXT,
    metric TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (client_id, name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    client_id INTEGER REFERENCES clients(id),
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
