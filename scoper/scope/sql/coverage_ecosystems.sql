-- The ecosystems the store holds, with how many distinct packages (listed or installed) each.
SELECT ecosystem, count(DISTINCT name) AS packages
FROM (SELECT ecosystem, name FROM packages
      UNION ALL
      SELECT ecosystem, package FROM events
      WHERE ecosystem IS NOT NULL AND package IS NOT NULL) AS p
GROUP BY ecosystem
ORDER BY ecosystem;
