-- Step 1b of the exposure chain: a package whose recorded artifact hash (lockfile hashes:
-- uv.lock, pylock.toml, requirements --hash, Pipfile.lock, package-lock integrity; SBOM
-- component hashes) is one the advisory lists in package_integrity. Confirmed whatever
-- the version string or name says (a renamed, re-versioned or mirrored artifact), and
-- added only where the version match of env.sql did not already find that package line.
-- Inputs: scope_integrity, scope_env. Parameters: $confirmed.
INSERT INTO scope_env
SELECT DISTINCT a.host, a.environment, a.digest, CAST(NULL AS VARCHAR), a.since,
       CAST(NULL AS TIMESTAMP), p.ecosystem, p.name, coalesce(p.version, 'unknown'),
       i.trigger, CAST(NULL AS VARCHAR), $confirmed, a.kind, p.source_file, p.source_line,
       a.label || ' records ' || p.name || coalesce(' ' || p.version, '') || ' with artifact hash '
       || ph.algorithm || ':' || left(ph.digest, 12) || '…, the advisory''s '
       || coalesce(i.filename, 'artifact') || ' of ' || i.name || ' (package_integrity)',
       CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR)
FROM package_hashes AS ph
JOIN scope_integrity AS i ON i.algorithm = ph.algorithm AND i.digest = ph.digest
JOIN packages AS p ON p.ingest_id = ph.ingest_id AND p.package_seq = ph.package_seq
JOIN scope_artifacts AS a ON a.ingest_id = p.ingest_id AND a.artifact_id = p.artifact_id
WHERE NOT EXISTS (SELECT 1 FROM scope_env AS v
                  WHERE v.source_file = p.source_file
                    AND v.source_line IS NOT DISTINCT FROM p.source_line
                    AND v.package = p.name);
