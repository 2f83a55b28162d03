-- Known vulnerabilities: OSV advisories as their JSON text, and which
-- packages each names (ecosystem as OSV spells it without a ":release"
-- suffix, name normalised per ecosystem) so an audit loads only the
-- advisories of the packages it found.
CREATE TABLE osv_advisories (
    id TEXT PRIMARY KEY,
    modified TEXT NOT NULL,
    withdrawn INTEGER NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE osv_packages (
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES osv_advisories(id) ON DELETE CASCADE,
    PRIMARY KEY (ecosystem, name, advisory_id)
);
CREATE INDEX osv_packages_advisory ON osv_packages (advisory_id);

CREATE TABLE osv_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sources TEXT NOT NULL,
    advisories INTEGER NOT NULL,
    new_advisories INTEGER NOT NULL,
    updated_advisories INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
