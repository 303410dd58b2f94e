-- Files read that gave no package records (a check on them would pass without looking).
SELECT i.path
FROM ingests AS i
WHERE NOT EXISTS (SELECT 1 FROM packages AS p WHERE p.ingest_id = i.ingest_id)
ORDER BY i.path;
