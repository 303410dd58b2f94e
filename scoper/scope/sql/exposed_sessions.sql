-- Step 4b: sessions exposed. The strongest link wins; first exposure is the earliest link
-- of that strength. Evidence: up to 5 strongest, earliest links, each followed by the
-- environment's own proof; the first evidence of each (file, line) is kept. A tie (one line
-- that is a start and an import) breaks by fact, so every engine picks the same (a start).
CREATE OR REPLACE TEMP TABLE scope_session_links AS
WITH best AS (
    SELECT session_id, max(confidence) AS confidence FROM scope_links GROUP BY session_id
), ranked AS (
    SELECT l.*, b.confidence AS best,
           row_number() OVER (PARTITION BY l.session_id
                              ORDER BY l.confidence DESC, l.ts NULLS LAST, l.source_file,
                                       l.source_line, l.fact DESC) AS n
    FROM scope_links AS l JOIN best AS b ON b.session_id = l.session_id
)
SELECT * FROM ranked WHERE n <= 5;

CREATE OR REPLACE TEMP TABLE scope_exposed_sessions AS
SELECT l.session_id, coalesce(nullif(f.host, ''), l.host) AS host, l.best AS confidence,
       (SELECT min(k.ts) FROM scope_session_links AS k
         WHERE k.session_id = l.session_id AND k.confidence = l.best) AS first_exposed
FROM scope_session_links AS l
LEFT JOIN scope_session_facts AS f ON f.session_id = l.session_id
WHERE l.n = 1;

CREATE OR REPLACE TEMP TABLE scope_session_evidence AS
WITH items AS (
    SELECT session_id, n, 0 AS part, source_file AS file, source_line AS line, fact
    FROM scope_session_links
    UNION ALL
    SELECT session_id, n, 1, env_file, env_line, env_fact
    FROM scope_session_links
    WHERE env_file <> ''
), firsts AS (
    SELECT i.*,
           row_number() OVER (PARTITION BY i.session_id, i.file, i.line ORDER BY i.n, i.part) AS k
    FROM items AS i
)
SELECT session_id, file, line, fact,
       row_number() OVER (PARTITION BY session_id ORDER BY n, part) AS evidence_n
FROM firsts
WHERE k = 1;
