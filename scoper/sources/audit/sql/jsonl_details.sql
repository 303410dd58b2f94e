-- Distinct `detail` objects of activity lines, as JSON text, for redaction in Python.
SELECT DISTINCT CAST(detail AS VARCHAR) FROM scoper_jsonl
WHERE detail IS NOT NULL AND regexp_matches(CAST(detail AS VARCHAR), $suspect);
