-- Recorded trails (scoper record): where a file's hash chain breaks. Evidence of that file
-- from `source_line` on is not trusted as recorded: ingest says so, scope warns while the
-- store holds any (docs/recording.md).
CREATE TABLE trail_breaks (
    ingest_id   INTEGER NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    reason      VARCHAR NOT NULL
);
