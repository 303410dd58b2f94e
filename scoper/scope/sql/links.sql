-- Step 4 of the exposure chain: every reason a session may have run the bad code.
-- One row per (session, reason); the weaker of the environment's and the link's confidence.
-- Parameters: the confidence ranks $confirmed, $likely, $possible.
CREATE OR REPLACE TEMP TABLE scope_links AS
-- the session that installed it (the payload runs at install only for trigger "install")
SELECT v.session_id, v.host, v.environment, v.package, v.version,
       least(v.confidence, CASE WHEN v.trigger = 'install' THEN $confirmed ELSE $possible END) AS confidence,
       v.ts, v.source_file, v.source_line,
       v.fact || CASE WHEN v.trigger = 'install' THEN ' (payload runs at install)'
                      ELSE ' (payload runs at ' || v.trigger || '; no run of it observed here)' END
       AS fact,
       NULL AS env_file, NULL AS env_line, NULL AS env_fact
FROM scope_env AS v
WHERE v.origin_kind = 'install' AND v.session_id IS NOT NULL
UNION ALL
-- a Python start or import in that environment after the bad version arrived (strictly
-- after: the installer's own start predates the files it writes)
SELECT x.session_id, x.host, v.environment, v.package, v.version,
       least(v.confidence, CASE
           WHEN (x.environment IS NULL) <> (v.environment IS NULL) THEN $possible
           WHEN v.trigger = 'startup' THEN $confirmed
           WHEN x.kind = 'import' AND (x.module = coalesce(v.trigger_module, v.package)
                OR starts_with(x.module, coalesce(v.trigger_module, v.package) || '.')) THEN $confirmed
           ELSE $possible END) AS confidence,
       x.ts, x.source_file, x.source_line,
       CASE WHEN x.kind = 'import' THEN 'imported ' || x.module
            ELSE 'started ' || coalesce(x.program, 'a program') END
       || CASE WHEN (x.environment IS NULL) <> (v.environment IS NULL)
               THEN ' on ' || x.host || ' (' || coalesce(x.environment, v.environment)
                    || '; the other side''s environment was not recorded)'
               ELSE ' in ' || coalesce(v.environment, 'the host environment') END
       || ' while ' || v.package || ' ' || v.version || ' was installed' AS fact,
       v.source_file, v.source_line, v.fact
FROM scope_env AS v
JOIN scope_events AS x
  ON x.host IS NOT DISTINCT FROM v.host
 AND (x.environment IS NOT DISTINCT FROM v.environment
      OR x.environment IS NULL  -- a start whose environment is unknown, anywhere on the host
      OR (v.environment IS NULL AND x.session_id = v.session_id))  -- e.g. `uv pip` then python
 AND (v.ts IS NULL OR x.ts > v.ts) AND (v.until_ts IS NULL OR x.ts < v.until_ts)
 AND (v.host IS NOT NULL OR x.session_id = v.session_id)
WHERE v.origin_kind IN ('install', 'inventory', 'environment')
  AND x.session_id IS NOT NULL AND v.trigger <> 'install'
  AND (x.kind = 'import' OR (x.kind = 'exec' AND (x.python_start OR x.program = v.package)))
UNION ALL
-- a session declared to run in that environment during the interval (no run observed)
SELECT s.session_id, s.host, v.environment, v.package, v.version, $possible, greatest(s.started_at, v.ts),
       s.source_file, s.source_line,
       'session ran in ' || v.environment || ' while ' || v.package || ' ' || v.version
       || ' was installed', v.source_file, v.source_line, v.fact
FROM scope_env AS v
JOIN scope_session_facts AS s
  ON s.host = v.host AND s.environment = v.environment
 AND (v.until_ts IS NULL OR s.started_at IS NULL OR s.started_at < v.until_ts)
 AND (v.ts IS NULL OR s.ended_at IS NULL OR s.ended_at >= v.ts)
WHERE v.origin_kind IN ('install', 'inventory', 'environment') AND v.trigger <> 'install'
UNION ALL
-- a session (pod, job) that ran an image whose SBOM lists the bad version
SELECT s.session_id, s.host, v.environment, v.package, v.version,
       least(v.confidence, CASE
           WHEN v.trigger = 'startup' AND EXISTS (
               SELECT 1 FROM scope_events AS x WHERE x.session_id = s.session_id
                 AND (x.kind = 'import' OR (x.kind = 'exec' AND x.python_start))) THEN $confirmed
           WHEN v.trigger IN ('startup', 'install') THEN $likely
           ELSE $possible END),
       s.started_at, s.source_file, s.source_line,
       'ran image ' || v.image_digest || ' whose SBOM lists ' || v.package || ' ' || v.version,
       v.source_file, v.source_line, v.fact
FROM scope_env AS v
JOIN scope_session_facts AS s ON s.image_digest = v.image_digest
WHERE v.image_digest IS NOT NULL
UNION ALL
-- a session (pod, CI container) that ran an image whose digest the advisory lists: the image
-- is the bad build itself (likely; it runs the payload when its program runs)
SELECT s.session_id, s.host, NULL, h.name, h.version,
       CASE WHEN b.trigger IN ('install', 'startup') THEN $confirmed ELSE $likely END,
       s.started_at, s.source_file, s.source_line,
       'ran image ' || s.image_digest || ', the advisory''s digest of ' || h.name || ' '
       || h.version, NULL, NULL, NULL
FROM scope_session_facts AS s
JOIN scope_hashes AS h ON s.image_digest = 'sha256:' || h.sha256
JOIN scope_bad AS b ON b.ecosystem = h.ecosystem AND b.name = h.name AND b.version = h.version
WHERE s.image_digest IS NOT NULL;
