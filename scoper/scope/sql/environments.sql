-- Environment findings, one row per evidence, in finding order, with what ended each interval.
SELECT finding_n, environment, host, image_digest, package, version, confidence, ts, until_ts,
       source_file, source_line, fact, end_file, end_line, end_fact
FROM scope_env_findings
ORDER BY finding_n, evidence_n;
