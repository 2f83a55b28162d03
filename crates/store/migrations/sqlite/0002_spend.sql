-- Spend: imported bank transactions, seat exports, catalog extensions and
-- the vendor register. Amounts are integers of the minor unit.
CREATE TABLE spend_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    transactions INTEGER NOT NULL,
    new_transactions INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE spend_transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    tx_key TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES spend_imports(id),
    tx_date TEXT NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    description TEXT NOT NULL,
    counterparty TEXT,
    original_amount INTEGER,
    original_currency TEXT,
    account TEXT,
    UNIQUE (client_id, tx_key)
);
CREATE INDEX spend_transactions_client_date ON spend_transactions (client_id, tx_date);

CREATE TABLE spend_seat_lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    vendor_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    seats TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (client_id, vendor_id)
);

CREATE TABLE spend_catalog_extensions (
    client_id INTEGER PRIMARY KEY REFERENCES clients(id),
    source_name TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE vendor_register (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    vendor_id TEXT NOT NULL,
    record TEXT NOT NULL,
    renewal_date TEXT,
    owner TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (client_id, vendor_id)
);
