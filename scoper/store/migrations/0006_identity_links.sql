-- Credentials as identities (docs/identities.md). ``identity_links`` is the evidence that two
-- names (aliases) belong to one credential identity, or that the target was obtained by trading
-- the source (``derived``: STS AssumeRole, a Kubernetes TokenRequest). Identities themselves are
-- resolved from these links, the credentials and the uses at scope time: resolution spans files,
-- so a stored identity id would have to be rewritten by every ingest.
CREATE TABLE identity_links (
    ingest_id    INTEGER NOT NULL,
    rule         VARCHAR NOT NULL,
    source_kind  VARCHAR NOT NULL,
    source_value VARCHAR NOT NULL,
    target_kind  VARCHAR NOT NULL,
    target_value VARCHAR NOT NULL,
    confidence   VARCHAR NOT NULL,
    derived      BOOLEAN NOT NULL,
    session_id   VARCHAR,
    host         VARCHAR,
    ts           TIMESTAMP,
    fact         VARCHAR,
    source_file  VARCHAR NOT NULL,
    source_line  INTEGER
);
-- Which system saw a use, a token's public id (the Kubernetes credential id / JTI) and what the
-- token was minted for ("pod:ns/name"); an address a session was seen using.
ALTER TABLE credential_uses ADD COLUMN service VARCHAR;
ALTER TABLE credential_uses ADD COLUMN token_id VARCHAR;
ALTER TABLE credential_uses ADD COLUMN bound_to VARCHAR;
ALTER TABLE sessions ADD COLUMN address VARCHAR;
-- The interpreter an exec event starts, however it is spelled ("python" for `uv run x`, a
-- console script in a venv's bin/, /usr/bin/python3.12): a startup payload runs on each.
ALTER TABLE events ADD COLUMN interpreter VARCHAR;
