CREATE TABLE orders (id integer NOT NULL, total bigint, PRIMARY KEY (id));
