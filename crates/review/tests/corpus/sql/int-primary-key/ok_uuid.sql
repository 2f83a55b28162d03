CREATE TABLE orders (id uuid PRIMARY KEY, quantity integer);
