-- shop.db: a small made-up shop. Every row is computed, not random: the numbers come from a
-- linear congruential generator (x -> (x * 1103515245 + 12345) mod 2^31) run in recursive CTEs,
-- so this file always makes the same rows. 8 categories, 60 products, 250 customers,
-- 1200 orders, about 3000 order items. To remake the database (from the repo root):
--
--   rm -f wasm-examples/sqlite/data/shop.db
--   npx plasm-tui run --dir wasm-examples/sqlite/data::/data wasm-examples/sqlite/sqlite.wasm \
--     -- --create /data/shop.db < wasm-examples/sqlite/data/shop.sql

BEGIN;

CREATE TABLE categories (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  category_id INTEGER NOT NULL REFERENCES categories (id),
  price_cents INTEGER NOT NULL
);

CREATE TABLE customers (
  id     INTEGER PRIMARY KEY,
  name   TEXT NOT NULL,
  city   TEXT NOT NULL,
  joined TEXT NOT NULL -- YYYY-MM-DD
);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  ordered_at  TEXT NOT NULL -- YYYY-MM-DD
);

CREATE TABLE order_items (
  order_id   INTEGER NOT NULL REFERENCES orders (id),
  product_id INTEGER NOT NULL REFERENCES products (id),
  quantity   INTEGER NOT NULL,
  PRIMARY KEY (order_id, product_id)
) WITHOUT ROWID;

CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX order_items_product ON order_items (product_id);

INSERT INTO categories (id, name)
SELECT key + 1, value
FROM json_each('["Books","Garden","Kitchen","Music","Office","Outdoor","Tools","Toys"]');

-- Product i: an adjective and a noun picked by i, a category by i, a price from the generator.
WITH RECURSIVE g (i, x) AS (
  SELECT 1, 20240101
  UNION ALL
  SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM g WHERE i < 60
)
INSERT INTO products (id, name, category_id, price_cents)
SELECT i,
       json_extract('["Blue","Tiny","Solid","Quiet","Rapid","Golden","Handy","Classic","Smart","Wild"]',
                    '$[' || (i % 10) || ']')
       || ' ' ||
       json_extract('["Lamp","Kettle","Shovel","Notebook","Guitar","Tent","Drill","Robot","Mug","Chair","Atlas","Hammock"]',
                    '$[' || ((i * 7) % 12) || ']'),
       (i * 5) % 8 + 1,
       199 + (x / 65536) % 9800
FROM g;

WITH RECURSIVE g (i, x) AS (
  SELECT 1, 424242
  UNION ALL
  SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM g WHERE i < 250
)
INSERT INTO customers (id, name, city, joined)
SELECT i,
       json_extract('["Ada","Ben","Chloe","Dmitri","Eva","Farid","Grace","Hiro","Ines","Jonas","Kira","Luis","Mei","Noor","Omar","Priya"]',
                    '$[' || ((x / 65536) % 16) || ']')
       || ' ' ||
       json_extract('["Adler","Baker","Costa","Dubois","Eriksen","Fischer","Garcia","Haddad","Ito","Jansen","Kowalski","Lopez","Moreau","Novak","Okafor","Petrov","Quinn","Rossi","Silva","Tanaka"]',
                    '$[' || ((x / 1048576) % 20) || ']'),
       json_extract('["Lisbon","Oslo","Osaka","Lagos","Lima","Lyon","Porto","Quito","Seoul","Turin"]',
                    '$[' || (i % 10) || ']'),
       date('2022-01-01', '+' || ((x / 256) % 730) || ' days')
FROM g;

WITH RECURSIVE g (i, x) AS (
  SELECT 1, 777
  UNION ALL
  SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM g WHERE i < 1200
)
INSERT INTO orders (id, customer_id, ordered_at)
SELECT i, (x / 65536) % 250 + 1, date('2024-01-01', '+' || ((x / 4096) % 366) || ' days')
FROM g;

-- Order o gets 1 to 4 items: distinct products (a start plus steps of 13, which is coprime to 60).
WITH RECURSIVE g (i, x) AS (
  SELECT 1, 31337
  UNION ALL
  SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM g WHERE i < 1200
),
n (j) AS (VALUES (0), (1), (2), (3))
INSERT INTO order_items (order_id, product_id, quantity)
SELECT g.i, ((x / 65536) % 60 + n.j * 13) % 60 + 1, 1 + (x / (256 * (n.j + 1))) % 3
FROM g JOIN n ON n.j <= (x / 16777216) % 4
ORDER BY g.i, n.j;

COMMIT;

VACUUM;
