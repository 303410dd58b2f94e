-- Files of interest inside artifacts (e.g. .pth startup hooks), matched against IOC hashes.
CREATE TABLE artifact_files (
    ingest_id   INTEGER NOT NULL,
    artifact_id VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    sha256      VARCHAR,
    source_file VARCHAR NOT NULL,
    source_line INTEGER
);
