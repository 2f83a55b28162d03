CREATE TABLE line_items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint REFERENCES orders (id));
CREATE INDEX line_items_order_id_idx ON line_items (order_id);
