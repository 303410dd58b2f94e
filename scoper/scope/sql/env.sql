-- Step 1-3 of the exposure chain: environments that held a bad version, and for how long.
-- Inputs: scope_version_match (distinct bad versions seen), scope_spec_match (resolver
-- intervals for unversioned installs), scope_bad (the advisory's versions and triggers),
-- scope_hashes. Parameters: the confidence ranks $confirmed, $likely, $possible.
CREATE OR REPLACE TEMP TABLE scope_installs AS
SELECT e.host, e.environment, e.session_id, e.ts, e.ecosystem, e.package, m.bad_version AS version,
       m.trigger, m.trigger_module, $confirmed AS confidence, e.source_file, e.source_line,
       'installed ' || e.package || ' ' || e.version AS fact
FROM scope_events AS e
JOIN scope_version_match AS m
  ON m.ecosystem = e.ecosystem AND m.name = e.package AND m.version = e.version
WHERE e.kind = 'install'
UNION ALL
SELECT e.host, e.environment, e.session_id, e.ts, e.ecosystem, e.package, r.version,
       b.trigger, b.trigger_module, r.confidence, e.source_file, e.source_line,
       'installed ' || e.package || CASE WHEN coalesce(e.spec, '') = '' THEN '' ELSE ' ' || e.spec END
       || ' (version not recorded) at ' || strftime(e.ts, '%H:%M') || ' UTC, when the resolver '
       || CASE WHEN r.confidence = $likely THEN 'picked ' ELSE 'could still pick ' END || r.version
FROM scope_events AS e
JOIN scope_spec_match AS r
  ON r.ecosystem = e.ecosystem AND r.name = e.package AND r.spec = coalesce(e.spec, '')
 AND (r.valid_from IS NULL OR e.ts >= r.valid_from)
 AND (r.valid_until IS NULL OR e.ts < r.valid_until)
 AND r.exclude_newer IS NOT DISTINCT FROM e.exclude_newer
JOIN scope_bad AS b ON b.ecosystem = r.ecosystem AND b.name = r.name AND b.version = r.version
WHERE e.kind = 'install' AND e.version IS NULL
UNION ALL
-- GitHub Actions uses that ran the payload (actions.sql)
SELECT * FROM scope_action_installs;

-- How each install's interval ends (the earliest of): a later install or uninstall of the
-- package in that environment (upgrade, downgrade, reinstall, removal), an env_end event
-- (the venv folder or a parent removed, the venv recreated with --clear, the environment
-- rebuilt, the host reimaged: sources/audit/commands/env_ends.py), or the end of the
-- installing session when its environment cannot outlive it (a container: a session with an
-- image digest, or a pod, ended e.g. by a k8s delete). A CI job's end is no end: a
-- self-hosted runner keeps its environment, and no trail says which runners are ephemeral.
CREATE OR REPLACE TEMP TABLE scope_install_ends AS
-- install_n only names a row (an ordered window: Spark requires one, and the numbers are the
-- same on every engine)
WITH numbered AS (
    SELECT row_number() OVER (ORDER BY source_file, source_line, ts, host, environment,
                                       session_id, package, version, fact) AS install_n, *
    FROM scope_installs),
ends AS (
    SELECT i.install_n, n.ts AS end_ts, n.source_file AS end_file, n.source_line AS end_line,
           CASE WHEN n.kind = 'uninstall' THEN 'uninstalled ' || n.package
                                                || coalesce(' ' || n.version, '')
                ELSE 'replaced by ' || n.package || coalesce(' ' || n.version, ' '
                     || nullif(n.spec, ''), ' (version not recorded)') END
           || ' at ' || strftime(n.ts, '%Y-%m-%d %H:%M:%S') || ' UTC' AS end_fact
    FROM numbered AS i
    JOIN scope_events AS n
      ON n.kind IN ('install', 'uninstall') AND n.ecosystem = i.ecosystem
     AND n.package = i.package AND n.host IS NOT DISTINCT FROM i.host
     AND n.environment IS NOT DISTINCT FROM i.environment AND n.ts > i.ts
     AND (i.host IS NOT NULL OR n.session_id IS NOT DISTINCT FROM i.session_id)
    UNION ALL
    -- the environment's folder (or one above it) removed or recreated; a reimaged host
    SELECT i.install_n, n.ts, n.source_file, n.source_line,
           CASE WHEN n.environment IS NULL THEN 'host ' || n.host || ' ' || coalesce(n.ends, 'reimaged')
                ELSE 'environment ' || n.environment || ' ' || coalesce(n.ends, 'removed') END
           || coalesce(' (' || n.command || ')', '')
           || ' at ' || strftime(n.ts, '%Y-%m-%d %H:%M:%S') || ' UTC'
    FROM numbered AS i
    JOIN scope_events AS n
      ON n.kind = 'env_end' AND n.ts > i.ts AND n.host IS NOT DISTINCT FROM i.host
     AND (i.host IS NOT NULL OR n.session_id IS NOT DISTINCT FROM i.session_id)
     AND ((n.environment IS NULL AND i.host IS NOT NULL)
          OR i.environment = n.environment OR starts_with(i.environment, n.environment || '/'))
    UNION ALL
    SELECT i.install_n, s.ended_at, s.source_file, s.source_line,
           'session ' || s.session_id || ' ended at ' || strftime(s.ended_at, '%Y-%m-%d %H:%M:%S')
           || ' UTC: the environment of its ' || CASE WHEN s.kind = 'pod' THEN 'pod' ELSE 'container' END
           || ' ends with it'
    FROM numbered AS i
    JOIN scope_session_facts AS s ON s.session_id = i.session_id
    WHERE s.ended_at IS NOT NULL AND s.ended_at > i.ts
      AND (s.image_digest IS NOT NULL OR s.kind = 'pod')
)
SELECT i.*, e.end_ts AS until_ts, e.end_file, e.end_line, e.end_fact
FROM numbered AS i
LEFT JOIN (SELECT install_n, min(end_ts) AS end_ts,
                  arg_min(end_file, (end_ts, end_file, end_line)) AS end_file,
                  arg_min(end_line, (end_ts, end_file, end_line)) AS end_line,
                  arg_min(end_fact, (end_ts, end_file, end_line)) AS end_fact
           FROM ends GROUP BY install_n) AS e USING (install_n);

CREATE OR REPLACE TEMP TABLE scope_env AS
SELECT i.host, i.environment, CAST(NULL AS VARCHAR) AS image_digest, i.session_id, i.ts,
       i.until_ts, i.ecosystem, i.package, i.version, i.trigger, i.trigger_module, i.confidence,
       'install' AS origin_kind, i.source_file, i.source_line, i.fact,
       i.end_file, i.end_line, i.end_fact
FROM scope_install_ends AS i
UNION ALL
SELECT a.host, a.environment, a.digest, NULL, a.since, NULL,
       p.ecosystem, p.name, m.bad_version, m.trigger, m.trigger_module, $confirmed,
       a.kind, p.source_file, p.source_line,
       a.label || ' lists ' || p.name || ' ' || p.version,
       CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR)
FROM packages AS p
JOIN scope_artifacts AS a ON a.ingest_id = p.ingest_id AND a.artifact_id = p.artifact_id
JOIN scope_version_match AS m
  ON m.ecosystem = p.ecosystem AND m.name = p.name AND m.version = p.version
UNION ALL
SELECT a.host, a.environment, a.digest, NULL, a.since, NULL,
       p.ecosystem, p.name, h.version, b.trigger, b.trigger_module, $confirmed,
       a.kind, p.source_file, p.source_line,
       a.label || ' locks ' || p.name || ' to a known-bad artifact '
       || h.algorithm || ':' || left(h.digest, 12) || '…',
       CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR)
FROM package_hashes AS ph
JOIN scope_hash_match AS h ON h.algorithm = ph.algorithm AND h.digest = ph.digest
JOIN packages AS p ON p.ingest_id = ph.ingest_id AND p.package_seq = ph.package_seq
JOIN scope_artifacts AS a ON a.ingest_id = p.ingest_id AND a.artifact_id = p.artifact_id
JOIN scope_bad AS b ON b.ecosystem = p.ecosystem AND b.name = p.name AND b.version = h.version
WHERE NOT EXISTS (SELECT 1 FROM scope_version_match AS m
                  WHERE m.ecosystem = p.ecosystem AND m.name = p.name AND m.version = p.version)
UNION ALL
SELECT a.host, a.environment, a.digest, NULL, a.since, NULL,
       p.ecosystem, p.name, r.version, b.trigger, b.trigger_module, $possible,
       a.kind, p.source_file, p.source_line,
       a.label || ' requires ' || p.name || ' ' || p.spec
       || ' without a pin; the range admits bad version ' || r.version,
       CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR)
FROM packages AS p
JOIN scope_artifacts AS a ON a.ingest_id = p.ingest_id AND a.artifact_id = p.artifact_id
JOIN (SELECT ecosystem, name, spec, max(version) AS version
      FROM scope_spec_match WHERE exclude_newer IS NULL GROUP BY ecosystem, name, spec) AS r
  ON r.ecosystem = p.ecosystem AND r.name = p.name AND r.spec = coalesce(p.spec, '')
JOIN scope_bad AS b ON b.ecosystem = r.ecosystem AND b.name = r.name AND b.version = r.version
WHERE p.version IS NULL
UNION ALL
SELECT a.host, a.environment, a.digest, NULL, a.since, NULL,
       coalesce(h.ecosystem, n.ecosystem), coalesce(h.name, n.name),
       coalesce(h.version, 'unknown'), CASE WHEN f.kind = 'pth' THEN 'startup' ELSE 'install' END,
       NULL, $confirmed, a.kind, f.source_file, f.source_line,
       a.label || ' holds ' || f.path
       || ', a file the advisory lists as an indicator (sha256 ' || left(f.sha256, 12) || '…)',
       CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR)
FROM artifact_files AS f
JOIN scope_artifacts AS a ON a.ingest_id = f.ingest_id AND a.artifact_id = f.artifact_id
JOIN scope_hashes AS h ON h.sha256 = f.sha256
CROSS JOIN (SELECT min(ecosystem) AS ecosystem, min(name) AS name FROM scope_names) AS n
UNION ALL
-- an image (an SBOM's subject) whose digest is one the advisory lists
SELECT a.host, a.environment, a.digest, NULL, a.since, NULL, h.ecosystem, h.name, h.version,
       b.trigger, b.trigger_module, $confirmed, a.kind, f.source_file, f.source_line,
       a.label || ' is image ' || a.digest || ', the advisory''s digest of ' || h.name || ' '
       || h.version,
       CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR)
FROM scope_artifacts AS a
JOIN artifacts AS f ON f.ingest_id = a.ingest_id AND f.artifact_id = a.artifact_id
JOIN scope_hashes AS h ON a.digest = 'sha256:' || h.sha256
JOIN scope_bad AS b ON b.ecosystem = h.ecosystem AND b.name = h.name AND b.version = h.version;
