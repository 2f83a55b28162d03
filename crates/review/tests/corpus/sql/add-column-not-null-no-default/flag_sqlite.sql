-- dialect: sqlite
ALTER TABLE users ADD COLUMN plan TEXT NOT NULL;
