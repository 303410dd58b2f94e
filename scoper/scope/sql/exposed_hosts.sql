-- Step 5: hosts of exposed sessions and hosts whose environments held a bad version. The
-- strongest confidence wins; first exposure is the earliest of that strength. Evidence: the
-- first 3 of each environment (in finding order), then of each session (by id), deduplicated.
CREATE OR REPLACE TEMP TABLE scope_exposed_hosts AS
WITH notes AS (
    SELECT host, confidence, ts FROM scope_env_findings WHERE host <> ''
    UNION ALL
    SELECT host, confidence, first_exposed FROM scope_exposed_sessions WHERE host <> ''
), best AS (
    SELECT host, max(confidence) AS confidence FROM notes GROUP BY host
)
SELECT b.host, b.confidence, min(n.ts) AS first_exposed
FROM best AS b
JOIN notes AS n ON n.host = b.host AND n.confidence = b.confidence
GROUP BY b.host, b.confidence;

CREATE OR REPLACE TEMP TABLE scope_host_evidence AS
WITH items AS (
    SELECT host, 0 AS part, finding_n AS n, evidence_n, source_file AS file,
           source_line AS line, fact
    FROM scope_env_findings
    WHERE host <> '' AND evidence_n <= 3
    UNION ALL
    SELECT s.host, 1, dense_rank() OVER (ORDER BY s.session_id), e.evidence_n, e.file, e.line,
           e.fact
    FROM scope_exposed_sessions AS s
    JOIN scope_session_evidence AS e ON e.session_id = s.session_id
    WHERE s.host <> '' AND e.evidence_n <= 3
), firsts AS (
    SELECT i.*,
           row_number() OVER (PARTITION BY i.host, i.file, i.line, i.fact
                              ORDER BY i.part, i.n, i.evidence_n) AS k
    FROM items AS i
)
SELECT host, file, line, fact,
       row_number() OVER (PARTITION BY host ORDER BY part, n, evidence_n) AS evidence_n
FROM firsts
WHERE k = 1;
