CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text);
CREATE INDEX events_kind_idx ON events (kind);
