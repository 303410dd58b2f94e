-- Negative evidence: installs and locks of the advisory's packages that did NOT expose anyone
-- (a good version, a good hash, an install outside every window, or a start after the
-- bad version was gone). Shown so a responder
-- can see why a session or lockfile is absent from the findings. `reason`: the fact without its
-- particulars, for the counts reports show by default (report/serialize.py).
SELECT 'session' AS entity, e.session_id AS subject, e.host, e.package,
       coalesce(e.version, e.spec, '') AS version, e.source_file, e.source_line,
       CASE WHEN e.version IS NOT NULL
            THEN 'installed ' || e.package || ' ' || e.version || ', not an affected version'
            ELSE 'installed ' || e.package || coalesce(' ' || nullif(e.spec, ''), '')
                 || ' at ' || strftime(e.ts, '%Y-%m-%d %H:%M') || ' UTC, when no affected version'
                 || ' was installable' END AS fact,
       CASE WHEN e.version IS NOT NULL THEN 'not an affected version'
            ELSE 'no affected version installable then' END AS reason
FROM scope_events AS e
JOIN scope_names AS n ON n.ecosystem = e.ecosystem AND n.name = e.package
WHERE e.kind = 'install' AND e.session_id IS NOT NULL
  AND e.session_id NOT IN (SELECT session_id FROM scope_exposed_sessions)
  AND NOT EXISTS (SELECT 1 FROM scope_installs AS i
                  WHERE i.source_file = e.source_file AND i.source_line = e.source_line)
UNION ALL
SELECT a.kind, a.environment,
       a.host, p.name, coalesce(p.version, p.spec, ''), p.source_file, p.source_line,
       a.label || ' has ' || p.name || ' '
       || coalesce(p.version, p.spec, '(no version)') || ', not an affected version',
       'not an affected version'
FROM packages AS p
JOIN scope_artifacts AS a ON a.ingest_id = p.ingest_id AND a.artifact_id = p.artifact_id
JOIN scope_names AS n ON n.ecosystem = p.ecosystem AND n.name = p.name
WHERE NOT EXISTS (SELECT 1 FROM scope_env AS v
                  WHERE v.source_file = p.source_file
                    AND v.source_line IS NOT DISTINCT FROM p.source_line)
UNION ALL
-- GitHub Actions uses judged clean (actions.sql): a SHA pin, a safe or re-published ref, a
-- tag used outside its window
-- (once per job and use: its first line, the download line)
SELECT 'session', u.session_id, any_value(u.host), u.package, u.version, u.source_file,
       min(u.source_line),
       'used ' || u.package || '@' || u.version
       || coalesce(' (SHA ' || left(u.sha, 12) || ')', '') || ': ' || u.reason,
       u.reason
FROM scope_action_uses AS u
WHERE u.confidence IS NULL AND u.session_id IS NOT NULL
  AND u.session_id NOT IN (SELECT session_id FROM scope_exposed_sessions)
GROUP BY u.session_id, u.package, u.version, u.sha, u.source_file, u.reason
UNION ALL
-- a Python start in an environment after its interval ended (first such start per session)
SELECT 'session', x.session_id, any_value(x.host), v.package, v.version,
       arg_min(x.source_file, (x.ts, x.source_file, x.source_line)),
       arg_min(x.source_line, (x.ts, x.source_file, x.source_line)),
       arg_min('started Python in ' || coalesce(v.environment, 'the host environment') || ' at '
               || strftime(x.ts, '%Y-%m-%d %H:%M:%S') || ' UTC, after ' || v.package || ' '
               || v.version || ' was gone there (' || v.end_fact || ')',
               (x.ts, x.source_file, x.source_line)),
       'started after the affected version was gone'
FROM scope_env AS v
JOIN scope_events AS x
  ON x.host IS NOT DISTINCT FROM v.host AND x.environment IS NOT DISTINCT FROM v.environment
 AND x.ts >= v.until_ts
WHERE v.until_ts IS NOT NULL AND v.end_fact IS NOT NULL AND x.session_id IS NOT NULL
  AND (x.kind = 'import' OR (x.kind = 'exec' AND x.python_start))
  AND x.session_id NOT IN (SELECT session_id FROM scope_exposed_sessions)
GROUP BY x.session_id, v.environment, v.package, v.version
ORDER BY 1, 2, 6, 7;
