-- Step 3b: environment findings. One per (environment, host, image, package, version,
-- interval) at its strongest confidence; finding_n orders the findings, evidence_n orders
-- each finding's distinct evidence (file, line, fact).
CREATE OR REPLACE TEMP TABLE scope_env_findings AS
WITH keyed AS (
    SELECT DISTINCT environment, host, image_digest, package, version, ts, until_ts,
           max(confidence) OVER (PARTITION BY environment, host, image_digest, package,
                                              version, ts, until_ts) AS confidence,
           source_file, source_line, fact, end_file, end_line, end_fact
    FROM scope_env
)
SELECT k.*,
       dense_rank() OVER (ORDER BY coalesce(k.host, ''), coalesce(k.environment, ''),
                                   coalesce(k.image_digest, ''), k.package, k.version,
                                   k.ts NULLS FIRST, k.until_ts NULLS FIRST, k.host NULLS FIRST,
                                   k.environment NULLS FIRST, k.image_digest NULLS FIRST)
           AS finding_n,
       row_number() OVER (PARTITION BY k.environment, k.host, k.image_digest, k.package,
                                       k.version, k.ts, k.until_ts
                          ORDER BY k.source_file, k.source_line NULLS FIRST, k.fact)
           AS evidence_n
FROM keyed AS k;
