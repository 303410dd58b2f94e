-- Per-file release history (PyPI simple API / project JSON): what the resolver at a moment
-- needs beyond the per-release summary in ``releases``: each file's own upload time (an sdist
-- can precede its wheels), yank, PEP 503 ``requires-python``, and the project's PEP 792 status
-- at ``fetched_at``. Written by ``advisories sync`` / ``history`` (feeds/history_files.py).
CREATE TABLE release_files (
    ecosystem       VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    version         VARCHAR NOT NULL,
    filename        VARCHAR NOT NULL,
    uploaded_at     TIMESTAMP NOT NULL,
    yanked          BOOLEAN NOT NULL,
    requires_python VARCHAR,
    project_status  VARCHAR NOT NULL,
    fetched_at      TIMESTAMP,
    url             VARCHAR
);
