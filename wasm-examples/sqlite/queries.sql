-- A read-only workload on data/shop.db: joins, aggregates, a window function, a self-join and,
-- to give it about half a second of CPU, a recursive CTE that replays 200,000 generated sales
-- against the product table. Every ORDER BY breaks ties, so the output is always the same.

-- Revenue per category: orders, units, revenue.
SELECT c.name, count(DISTINCT oi.order_id), sum(oi.quantity),
       printf('%.2f', sum(oi.quantity * p.price_cents) / 100.0)
FROM order_items AS oi
JOIN products AS p ON p.id = oi.product_id
JOIN categories AS c ON c.id = p.category_id
GROUP BY c.id
ORDER BY sum(oi.quantity * p.price_cents) DESC, c.name;

-- The five customers who spent the most.
SELECT cu.name, cu.city, count(DISTINCT o.id),
       printf('%.2f', sum(oi.quantity * p.price_cents) / 100.0)
FROM customers AS cu
JOIN orders AS o ON o.customer_id = cu.id
JOIN order_items AS oi ON oi.order_id = o.id
JOIN products AS p ON p.id = oi.product_id
GROUP BY cu.id
ORDER BY sum(oi.quantity * p.price_cents) DESC, cu.id
LIMIT 5;

-- Orders and revenue per month of 2024.
SELECT strftime('%Y-%m', o.ordered_at) AS month, count(DISTINCT o.id),
       printf('%.2f', sum(oi.quantity * p.price_cents) / 100.0)
FROM orders AS o
JOIN order_items AS oi ON oi.order_id = o.id
JOIN products AS p ON p.id = oi.product_id
GROUP BY month
ORDER BY month;

-- The best seller (by units) in each category, with a window function.
SELECT category, product, units
FROM (
  SELECT c.name AS category, p.name AS product, sum(oi.quantity) AS units,
         row_number() OVER (PARTITION BY c.id ORDER BY sum(oi.quantity) DESC, p.id) AS rank
  FROM order_items AS oi
  JOIN products AS p ON p.id = oi.product_id
  JOIN categories AS c ON c.id = p.category_id
  GROUP BY p.id
)
WHERE rank = 1
ORDER BY category;

-- The three pairs of products most often bought in the same order.
SELECT pa.name, pb.name, count(*) AS together
FROM order_items AS a
JOIN order_items AS b ON b.order_id = a.order_id AND b.product_id > a.product_id
JOIN products AS pa ON pa.id = a.product_id
JOIN products AS pb ON pb.id = b.product_id
GROUP BY a.product_id, b.product_id
ORDER BY together DESC, a.product_id, b.product_id
LIMIT 3;

-- Customers per city who joined in each year.
SELECT city, sum(joined < '2023-01-01'), sum(joined >= '2023-01-01')
FROM customers
GROUP BY city
ORDER BY city;

-- The CPU-heavy part: 200,000 generated sales (the same generator as data/shop.sql), each
-- joined to its product and category, summed per category.
WITH RECURSIVE sale (i, x) AS (
  SELECT 1, 99991
  UNION ALL
  SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM sale WHERE i < 200000
)
SELECT c.name, count(*), sum(1 + (s.x / 256) % 3),
       printf('%.2f', sum((1 + (s.x / 256) % 3) * p.price_cents) / 100.0)
FROM sale AS s
JOIN products AS p ON p.id = (s.x / 65536) % 60 + 1
JOIN categories AS c ON c.id = p.category_id
GROUP BY c.id
ORDER BY c.id;
