-- Whether the evidence reaches into one live window [$start, $end]: files whose events span
-- overlaps it, and artifacts (inventories, SBOMs) taken inside it.
SELECT (SELECT count(*) FROM (
            SELECT ingest_id FROM events GROUP BY ingest_id
            HAVING min(ts) <= $end AND max(ts) >= $start)) AS event_files,
       (SELECT count(*) FROM artifacts WHERE created_at BETWEEN $start AND $end) AS artifacts;
