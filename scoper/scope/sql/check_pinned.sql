-- Pinned packages of the checked files with the format of the file that lists them
-- (uv.lock and pylock.toml carry per-file upload times). VCS, path and direct-URL
-- packages come from no registry: the cool-down does not apply to them.
SELECT DISTINCT p.ecosystem, p.name, coalesce(p.display_name, p.name) AS display_name,
       p.version, p.source_file, p.source_line, i.format, i.path
FROM packages AS p
JOIN ingests AS i ON i.ingest_id = p.ingest_id
WHERE p.version IS NOT NULL AND p.ecosystem <> 'GitHub Actions'
  AND p.commit IS NULL
  AND NOT regexp_matches(coalesce(p.source_url, ''), '(\.(whl|zip|tar\.gz|tgz)$)|^(git\+|file:)')
ORDER BY p.source_file, p.source_line, p.name, p.version;
