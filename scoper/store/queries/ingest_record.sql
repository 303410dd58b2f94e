-- The ingests row of one loaded file, written last in its transaction.
INSERT INTO ingests (ingest_id, path, sha256, format, ingested_at, records, skipped, status, host)
VALUES ($ingest_id, $path, $sha, $format, $at, $records, $skipped, $status, $host)
