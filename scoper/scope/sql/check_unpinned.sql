-- Registry requirements the checked files list without an exact version (a range or a bare
-- name); URL, VCS and path requirements name no registry range and are left out.
SELECT DISTINCT p.ecosystem, p.name, p.spec, p.source_file, p.source_line
FROM packages AS p
WHERE p.version IS NULL AND p.ecosystem <> 'GitHub Actions'
  AND p.commit IS NULL
  AND NOT regexp_matches(coalesce(p.source_url, ''), '(\.(whl|zip|tar\.gz|tgz)$)|^(git\+|file:)')
ORDER BY p.source_file, p.source_line, p.name;
