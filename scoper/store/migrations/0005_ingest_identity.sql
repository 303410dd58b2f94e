-- An ingest is identified by (content sha256, path, host): the same bytes at another path,
-- or ingested for another host (--host), are new evidence, not a duplicate. ``host`` is the
-- --host the file was ingested with (NULL when none). DuckDB cannot alter an indexed table,
-- so the content-only index goes first.
DROP INDEX ingests_sha256;
ALTER TABLE ingests ADD COLUMN host VARCHAR;
CREATE UNIQUE INDEX ingests_identity ON ingests (sha256, path, coalesce(host, ''));
