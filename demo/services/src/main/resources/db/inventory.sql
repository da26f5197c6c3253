CREATE TABLE stock(item VARCHAR(64) PRIMARY KEY, qty INT NOT NULL, unit_price DECIMAL(10, 2) NOT NULL);
INSERT INTO stock VALUES ('espresso-beans', 1000, 12.50), ('grinder', 1000, 89.00),
  ('kettle', 1000, 35.00), ('mug', 1000, 9.90), ('filter-papers', 1000, 4.20);
