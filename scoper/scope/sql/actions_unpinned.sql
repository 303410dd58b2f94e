-- GitHub Actions refs that files list without a commit pin (a tag or branch can be moved).
SELECT DISTINCT p.name, p.version, p.source_file, p.source_line
FROM packages AS p
WHERE p.ecosystem = 'GitHub Actions' AND p.commit IS NULL AND p.version IS NOT NULL
ORDER BY p.source_file, p.source_line;
