-- Views for one scope run: sessions merged across files, events with their session's
-- host/environment filled in, artifacts named as the chain names them.
CREATE OR REPLACE TEMP TABLE scope_session_facts AS
SELECT session_id,
       any_value(host) AS host, any_value(kind) AS kind, any_value(actor) AS actor,
       min(started_at) AS started_at, max(ended_at) AS ended_at,
       any_value(image_digest) AS image_digest, any_value(environment) AS environment,
       any_value(address) AS address, min(source_file) AS source_file, min(source_line) AS source_line
FROM (
    SELECT session_id, host, kind, actor, started_at, ended_at, image_digest, environment,
           address, source_file, source_line
    FROM sessions
    UNION ALL
    SELECT DISTINCT session_id, host, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM events WHERE session_id IS NOT NULL
) AS s
GROUP BY session_id;

-- Inside a container (a session with an image digest) a path names that container's own
-- filesystem, so its environment is keyed by the session: pods on one node never share one.
-- python_start: the programs whose start runs site-packages .pth hooks.
CREATE OR REPLACE TEMP VIEW scope_events AS
SELECT e.ts, e.session_id, e.kind, e.ecosystem, e.package, e.version, e.spec, e.module,
       e.program, e.source_file, e.source_line,
       coalesce(e.host, s.host) AS host,
       CASE WHEN s.image_digest IS NOT NULL
            THEN e.session_id || ':' || coalesce(e.environment, s.environment, '/')
            ELSE coalesce(e.environment, s.environment) END AS environment,
       (e.interpreter = 'python' OR e.program LIKE 'python%' OR e.program IN (
           'pip', 'pip3', 'pipx', 'poetry', 'pdm', 'uvx', 'pytest', 'ipython', 'jupyter',
           'gunicorn', 'uvicorn', 'celery', 'flask', 'django-admin')) AS python_start,
       -- the install command's own time bound (uv --exclude-newer, pip --uploaded-prior-to)
       TRY_CAST(json_extract_string(e.detail, '$.exclude_newer') AS TIMESTAMPTZ)
           AT TIME ZONE 'UTC' AS exclude_newer,
       -- env_end events: how the environment (or, without one, the host) ended
       json_extract_string(e.detail, '$.action') AS ends, e.command
FROM events AS e
LEFT JOIN scope_session_facts AS s ON s.session_id = e.session_id;

-- Artifacts as the chain names them: a lockfile by its path, an image or environment by its
-- name; an inventory's time is when its packages were seen (an SBOM's is not an install time).
-- An environment with neither host nor path (pip freeze ingested without --host) is named by its
-- source file: identical copies from host1/, host2/ stay separate environments.
CREATE OR REPLACE TEMP VIEW scope_artifacts AS
SELECT ingest_id, artifact_id, kind, host, digest,
       CASE WHEN kind = 'lockfile' THEN source_file
            WHEN kind = 'environment' AND host IS NULL AND environment IS NULL THEN source_file
            ELSE coalesce(environment, name) END
           AS environment,
       CASE WHEN kind = 'inventory' THEN created_at END AS since,
       kind || ' ' || coalesce(name, '') AS label
FROM artifacts;
