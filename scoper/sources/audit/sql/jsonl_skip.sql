-- Record the unusable lines as skipped and drop them from the stage. Parameters: $ingest_id,
-- $file.
INSERT INTO skipped (ingest_id, source_file, source_line, reason)
SELECT $ingest_id, $file, line, reason FROM scoper_jsonl_problems;

DELETE FROM scoper_jsonl WHERE NOT ok OR line IN (SELECT line FROM scoper_jsonl_problems);

DROP TABLE scoper_jsonl_problems;
