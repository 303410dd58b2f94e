-- The advisory of one scope run, staged as TEMP tables (dropped with the connection): the
-- run never writes the store's persistent advisory tables. Python fills the scope_ tables
-- from the Advisory object and the version matches from the store's distinct values.
CREATE OR REPLACE TEMP TABLE scope_names (ecosystem VARCHAR, name VARCHAR);

CREATE OR REPLACE TEMP TABLE scope_bad (
    advisory_id VARCHAR, ecosystem VARCHAR, name VARCHAR, version VARCHAR, trigger VARCHAR,
    trigger_module VARCHAR, live_from TIMESTAMP, live_until TIMESTAMP,
    conservative_until TIMESTAMP
);

CREATE OR REPLACE TEMP TABLE scope_harvests (harvest_class VARCHAR);

-- Known-bad sha256: release artifacts (with ecosystem, name, version) and dropped files.
CREATE OR REPLACE TEMP TABLE scope_hashes (
    advisory_id VARCHAR, ecosystem VARCHAR, name VARCHAR, version VARCHAR, sha256 VARCHAR,
    filename VARCHAR
);

-- Artifact digests of the advisory's packages (ossf package_integrity), any algorithm.
CREATE OR REPLACE TEMP TABLE scope_integrity (
    advisory_id VARCHAR, ecosystem VARCHAR, name VARCHAR, algorithm VARCHAR, digest VARCHAR,
    filename VARCHAR, trigger VARCHAR
);

CREATE OR REPLACE TEMP VIEW scope_hash_match AS
SELECT 'sha256' AS algorithm, sha256 AS digest, version
FROM scope_hashes
WHERE version IS NOT NULL;

CREATE OR REPLACE TEMP TABLE scope_version_match (
    ecosystem VARCHAR, name VARCHAR, version VARCHAR, bad_version VARCHAR, trigger VARCHAR,
    trigger_module VARCHAR
);

CREATE OR REPLACE TEMP TABLE scope_spec_match (
    ecosystem VARCHAR, name VARCHAR, spec VARCHAR, valid_from TIMESTAMP,
    valid_until TIMESTAMP, version VARCHAR, confidence INTEGER, exclude_newer TIMESTAMP
);
