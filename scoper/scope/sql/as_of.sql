-- --as-of: the store as it was known at $as_of. TEMP views shadow the evidence tables
-- (the chain's SQL names them unqualified): only files ingested by then, events and
-- credential uses up to then, sessions started by then. {db} is the store's catalog name
-- (a quoted identifier, not a value); the moment is a parameter kept in scope_as_of.
CREATE OR REPLACE TEMP TABLE scope_as_of AS SELECT CAST($as_of AS TIMESTAMP) AS t;
CREATE OR REPLACE TEMP VIEW ingests AS
SELECT * FROM {db}.main.ingests WHERE ingested_at <= (SELECT t FROM scope_as_of);
CREATE OR REPLACE TEMP VIEW events AS
SELECT * FROM {db}.main.events
WHERE ts <= (SELECT t FROM scope_as_of) AND ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW sessions AS  -- an end after the moment was not yet known
SELECT * REPLACE (CASE WHEN ended_at <= (SELECT t FROM scope_as_of) THEN ended_at END AS ended_at)
FROM {db}.main.sessions
WHERE (started_at IS NULL OR started_at <= (SELECT t FROM scope_as_of))
  AND ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW credential_uses AS
SELECT * FROM {db}.main.credential_uses
WHERE ts <= (SELECT t FROM scope_as_of) AND ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW artifacts AS
SELECT * FROM {db}.main.artifacts WHERE ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW packages AS
SELECT * FROM {db}.main.packages WHERE ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW package_hashes AS
SELECT * FROM {db}.main.package_hashes WHERE ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW artifact_files AS
SELECT * FROM {db}.main.artifact_files WHERE ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW credentials AS
SELECT * FROM {db}.main.credentials WHERE ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW identity_links AS
SELECT * FROM {db}.main.identity_links WHERE ingest_id IN (SELECT ingest_id FROM ingests);
CREATE OR REPLACE TEMP VIEW skipped AS
SELECT * FROM {db}.main.skipped WHERE ingest_id IN (SELECT ingest_id FROM ingests);
