-- Step 6: credential rows that exposed sessions (or exposed hosts, for host-level files) held,
-- restricted to the classes the payload harvests (all classes when the advisory names none).
-- These are the seeds the identity resolver (scope/identities.py) walks out from.
CREATE OR REPLACE TEMP TABLE scope_credential_rows AS
WITH wanted AS (
    SELECT c.* FROM credentials AS c
    WHERE NOT EXISTS (SELECT 1 FROM scope_harvests)
       OR c.harvest_class IN (SELECT harvest_class FROM scope_harvests)
), held AS (
    SELECT c.name, c.kind, c.harvest_class, c.fingerprint, c.key_id, c.session_id,
           coalesce(c.host, s.host) AS host, s.confidence,
           greatest(s.first_exposed, coalesce(c.first_seen, s.first_exposed)) AS first_exposed,
           c.source_file, c.source_line,
           c.name || ' (' || c.kind || ') was available to session ' || c.session_id AS fact
    FROM wanted AS c
    JOIN scope_exposed_sessions AS s ON s.session_id = c.session_id
    UNION ALL
    SELECT c.name, c.kind, c.harvest_class, c.fingerprint, c.key_id, NULL, c.host, h.confidence,
           -- the payload reached the file when it first ran on the host (a session's exposure
           -- there), else when the host first held the bad version
           greatest(coalesce((SELECT min(s.first_exposed) FROM scope_exposed_sessions AS s
                              WHERE s.host = c.host AND s.confidence = h.confidence),
                             h.first_exposed),
                    coalesce(c.first_seen, h.first_exposed)),
           c.source_file, c.source_line,
           c.name || ' (' || c.kind || ') is stored on exposed host ' || c.host
    FROM wanted AS c
    JOIN scope_exposed_hosts AS h ON h.host = c.host
    WHERE c.session_id IS NULL
)
SELECT * FROM held;
