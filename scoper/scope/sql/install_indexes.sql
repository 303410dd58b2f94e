-- Distinct (ecosystem, name, index URLs) of installs of the advisory's packages whose version
-- was not recorded: Python decides which indexes are mirrors whose lag is unknown.
SELECT DISTINCT e.ecosystem, e.package, CAST(json_extract(e.detail, '$.index_urls') AS VARCHAR)
FROM events AS e
JOIN scope_names AS a
  ON a.ecosystem = e.ecosystem AND a.name = e.package
WHERE e.kind = 'install'
  AND e.version IS NULL
  AND json_extract(e.detail, '$.index_urls') IS NOT NULL
ORDER BY 1, 2, 3;
