-- Step 6: credentials that exposed sessions (or exposed hosts, for host-level files) held,
-- restricted to the classes the payload harvests (all classes when the advisory names none).
-- Inputs: scope_exposed_sessions, scope_exposed_hosts. Parameter: $advisory.
WITH harvested AS (
    SELECT harvest_class FROM advisory_harvests WHERE advisory_id = $advisory
), wanted AS (
    SELECT c.* FROM credentials AS c
    WHERE NOT EXISTS (SELECT 1 FROM harvested)
       OR c.harvest_class IN (SELECT harvest_class FROM harvested)
)
SELECT c.name, c.kind, c.harvest_class, c.fingerprint, c.key_id, c.session_id,
       coalesce(c.host, s.host) AS host, s.confidence,
       greatest(s.first_exposed, coalesce(c.first_seen, s.first_exposed)) AS first_exposed,
       c.source_file, c.source_line,
       c.name || ' (' || c.kind || ') was available to session ' || c.session_id AS fact
FROM wanted AS c
JOIN scope_exposed_sessions AS s ON s.session_id = c.session_id
UNION ALL
SELECT c.name, c.kind, c.harvest_class, c.fingerprint, c.key_id, NULL, c.host, h.confidence,
       greatest(h.first_exposed, coalesce(c.first_seen, h.first_exposed)),
       c.source_file, c.source_line,
       c.name || ' (' || c.kind || ') is stored on exposed host ' || c.host
FROM wanted AS c
JOIN scope_exposed_hosts AS h ON h.host = c.host
WHERE c.session_id IS NULL
ORDER BY 1, 2, 6 NULLS LAST, 7;
