-- check --vulns: every package row the check read, with where it is pinned.
SELECT ecosystem, name, version, source_file, source_line
FROM packages
ORDER BY ecosystem, name, version, source_file, source_line
