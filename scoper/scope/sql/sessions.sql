-- Sessions exposed: strongest link wins; first exposure is the earliest link of that strength.
-- Evidence: the environment's proof plus up to 5 strongest, earliest links per session.
WITH best AS (
    SELECT session_id, max(confidence) AS confidence FROM scope_links GROUP BY session_id
), ranked AS (
    SELECT l.*, b.confidence AS best,
           row_number() OVER (PARTITION BY l.session_id
                              ORDER BY l.confidence DESC, l.ts NULLS LAST, l.source_file,
                                       l.source_line) AS n
    FROM scope_links AS l JOIN best AS b ON b.session_id = l.session_id
)
SELECT r.session_id,
       (SELECT any_value(s.host) FROM scope_session_facts AS s
         WHERE s.session_id = r.session_id) AS session_host,
       r.host, r.best, r.n, r.confidence, r.ts, r.source_file, r.source_line, r.fact,
       r.env_file, r.env_line, r.env_fact,
       min(r.ts) FILTER (WHERE r.confidence = r.best) OVER (PARTITION BY r.session_id)
           AS first_exposed
FROM ranked AS r
WHERE r.n <= 5 OR r.confidence = r.best AND r.n = 1
ORDER BY r.session_id, r.n;
