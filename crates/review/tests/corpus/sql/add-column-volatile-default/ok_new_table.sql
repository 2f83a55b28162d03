CREATE TABLE tokens (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, token uuid DEFAULT gen_random_uuid());
