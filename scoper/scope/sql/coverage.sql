-- What the store holds, for the coverage block of every scope and check result: files and
-- records ingested, artifacts, hosts and sessions seen, and the time span of the events.
SELECT (SELECT count(*) FROM ingests) AS files,
       (SELECT coalesce(sum(records), 0) FROM ingests) AS records,
       (SELECT count(*) FROM artifacts) AS artifacts,
       (SELECT count(DISTINCT host) FROM (
            SELECT host FROM events UNION ALL SELECT host FROM sessions
            UNION ALL SELECT host FROM artifacts UNION ALL SELECT host FROM credentials)) AS hosts,
       (SELECT count(DISTINCT session_id) FROM (
            SELECT session_id FROM sessions UNION ALL SELECT session_id FROM events)) AS sessions,
       (SELECT count(*) FROM events) AS events,
       (SELECT min(ts) FROM events) AS first_ts,
       (SELECT max(ts) FROM events) AS last_ts;
