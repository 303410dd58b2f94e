-- Skipped entries that lose nothing (a lockfile's own project root) are marked, so a file
-- with only those is not "partial" and `ingest --strict` does not fail on it.
ALTER TABLE skipped ADD COLUMN informational BOOLEAN DEFAULT false;
