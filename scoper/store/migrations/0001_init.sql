-- scoper store, schema version 1. Table names are a contract for `scoper sql` users;
-- columns may be added by later migrations, never renamed or removed.
-- Times are TIMESTAMP holding UTC. Lists are normalised into rows.

CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE ingests (
    ingest_id   INTEGER PRIMARY KEY,
    path        VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    format      VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL,
    records     BIGINT NOT NULL,
    skipped     BIGINT NOT NULL,
    status      VARCHAR NOT NULL,   -- ok | partial (entries skipped)
    error       VARCHAR
);
CREATE UNIQUE INDEX ingests_sha256 ON ingests (sha256);

CREATE TABLE artifacts (
    ingest_id   INTEGER NOT NULL,
    artifact_id VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,   -- lockfile | sbom | environment | inventory
    name        VARCHAR,
    digest      VARCHAR,            -- image digest of an SBOM subject
    created_at  TIMESTAMP,
    host        VARCHAR,
    environment VARCHAR,
    source_file VARCHAR NOT NULL,
    source_line INTEGER
);

CREATE TABLE packages (
    ingest_id    INTEGER NOT NULL,
    package_seq  INTEGER NOT NULL,
    artifact_id  VARCHAR NOT NULL,
    ecosystem    VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    display_name VARCHAR,
    version      VARCHAR,
    spec         VARCHAR,
    purl         VARCHAR,
    direct       BOOLEAN,
    groups       VARCHAR,           -- comma separated, for display only
    commit       VARCHAR,
    source_url   VARCHAR,
    location     VARCHAR,
    source_file  VARCHAR NOT NULL,
    source_line  INTEGER
);

CREATE TABLE package_hashes (
    ingest_id   INTEGER NOT NULL,
    package_seq INTEGER NOT NULL,
    algorithm   VARCHAR NOT NULL,
    digest      VARCHAR NOT NULL
);

CREATE TABLE sessions (
    ingest_id    INTEGER NOT NULL,
    session_id   VARCHAR NOT NULL,
    host         VARCHAR,
    kind         VARCHAR,
    actor        VARCHAR,
    started_at   TIMESTAMP,
    ended_at     TIMESTAMP,
    image_digest VARCHAR,
    environment  VARCHAR,
    source_file  VARCHAR NOT NULL,
    source_line  INTEGER
);

CREATE TABLE events (
    ingest_id   INTEGER NOT NULL,
    ts          TIMESTAMP NOT NULL,
    session_id  VARCHAR,
    host        VARCHAR,
    kind        VARCHAR NOT NULL,   -- install | uninstall | exec | import | credential | network | file
    ecosystem   VARCHAR,
    package     VARCHAR,
    version     VARCHAR,
    spec        VARCHAR,
    environment VARCHAR,
    module      VARCHAR,
    program     VARCHAR,
    command     VARCHAR,
    detail      JSON,
    source_file VARCHAR NOT NULL,
    source_line INTEGER
);

CREATE TABLE credentials (
    ingest_id     INTEGER NOT NULL,
    session_id    VARCHAR,
    host          VARCHAR,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    harvest_class VARCHAR NOT NULL,
    fingerprint   VARCHAR,
    key_id        VARCHAR,
    path          VARCHAR,
    first_seen    TIMESTAMP,
    source_file   VARCHAR NOT NULL,
    source_line   INTEGER
);

CREATE TABLE credential_uses (
    ingest_id   INTEGER NOT NULL,
    ts          TIMESTAMP NOT NULL,
    key_id      VARCHAR,
    fingerprint VARCHAR,
    principal   VARCHAR,
    source_ip   VARCHAR,
    user_agent  VARCHAR,
    action      VARCHAR,
    source_file VARCHAR NOT NULL,
    source_line INTEGER
);

CREATE TABLE skipped (
    ingest_id   INTEGER NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line INTEGER,
    reason      VARCHAR NOT NULL
);

-- Advisories, normalised: one row per affected version, window, hash, harvest class.
CREATE TABLE advisories (
    advisory_id VARCHAR PRIMARY KEY,
    summary     VARCHAR,
    published   TIMESTAMP,
    modified    TIMESTAMP,
    withdrawn   TIMESTAMP,
    origin      VARCHAR NOT NULL
);
CREATE TABLE advisory_aliases (advisory_id VARCHAR NOT NULL, alias VARCHAR NOT NULL);
CREATE TABLE advisory_windows (
    advisory_id      VARCHAR NOT NULL,
    start_ts         TIMESTAMP NOT NULL,
    end_ts           TIMESTAMP NOT NULL,
    conservative_end TIMESTAMP
);
CREATE TABLE advisory_harvests (advisory_id VARCHAR NOT NULL, harvest_class VARCHAR NOT NULL);
CREATE TABLE affected (
    advisory_id        VARCHAR NOT NULL,
    ecosystem          VARCHAR NOT NULL,
    name               VARCHAR NOT NULL,
    version            VARCHAR NOT NULL,
    trigger            VARCHAR NOT NULL,
    trigger_module     VARCHAR,
    live_from          TIMESTAMP,
    live_until         TIMESTAMP,
    conservative_until TIMESTAMP
);
CREATE TABLE advisory_hashes (
    advisory_id VARCHAR NOT NULL,
    ecosystem   VARCHAR,
    name        VARCHAR,
    version     VARCHAR,
    sha256      VARCHAR NOT NULL,
    filename    VARCHAR
);
CREATE TABLE releases (
    ecosystem   VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    version     VARCHAR NOT NULL,
    uploaded_at TIMESTAMP,
    yanked      BOOLEAN NOT NULL,
    removed_at  TIMESTAMP,
    origin      VARCHAR NOT NULL
);
