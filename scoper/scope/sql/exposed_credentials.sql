-- Step 6: credentials that exposed sessions (or exposed hosts, for host-level files) held,
-- restricted to the classes the payload harvests (all classes when the advisory names none).
-- One credential is one key: its fingerprint, else its cloud key id, else name@session or
-- name@host. n orders a key's rows; its first row names the credential.
CREATE OR REPLACE TEMP TABLE scope_credential_rows AS
WITH wanted AS (
    SELECT c.* FROM credentials AS c
    WHERE NOT EXISTS (SELECT 1 FROM scope_harvests)
       OR c.harvest_class IN (SELECT harvest_class FROM scope_harvests)
), held AS (
    SELECT c.name, c.kind, c.harvest_class, c.fingerprint, c.key_id, c.session_id,
           coalesce(c.host, s.host) AS host, s.confidence,
           greatest(s.first_exposed, coalesce(c.first_seen, s.first_exposed)) AS first_exposed,
           c.source_file, c.source_line,
           c.name || ' (' || c.kind || ') was available to session ' || c.session_id AS fact
    FROM wanted AS c
    JOIN scope_exposed_sessions AS s ON s.session_id = c.session_id
    UNION ALL
    SELECT c.name, c.kind, c.harvest_class, c.fingerprint, c.key_id, NULL, c.host, h.confidence,
           greatest(h.first_exposed, coalesce(c.first_seen, h.first_exposed)),
           c.source_file, c.source_line,
           c.name || ' (' || c.kind || ') is stored on exposed host ' || c.host
    FROM wanted AS c
    JOIN scope_exposed_hosts AS h ON h.host = c.host
    WHERE c.session_id IS NULL
), keyed AS (
    SELECT h.*,
           coalesce(nullif(h.fingerprint, ''), 'key:' || nullif(h.key_id, ''),
                    h.name || '@' || coalesce(nullif(h.session_id, ''), nullif(h.host, ''), ''))
               AS cred_key
    FROM held AS h
)
SELECT k.*,
       row_number() OVER (PARTITION BY k.cred_key
                          ORDER BY k.name, k.kind, k.session_id NULLS LAST, k.host NULLS LAST,
                                   k.source_file, k.source_line) AS n
FROM keyed AS k;

-- Per key: the strongest confidence, the earliest exposure at it, the first row's names.
CREATE OR REPLACE TEMP TABLE scope_credential_keys AS
WITH top AS (
    SELECT cred_key, max(confidence) AS confidence
    FROM scope_credential_rows GROUP BY cred_key
)
SELECT t.cred_key, t.confidence,
       min(CASE WHEN r.confidence = t.confidence THEN r.first_exposed END) AS first_exposed,
       max(CASE WHEN r.n = 1 THEN r.name END) AS name,
       max(CASE WHEN r.n = 1 THEN r.kind END) AS kind,
       max(CASE WHEN r.n = 1 THEN r.fingerprint END) AS fingerprint
FROM top AS t
JOIN scope_credential_rows AS r ON r.cred_key = t.cred_key
GROUP BY t.cred_key, t.confidence;

-- What step 7 looks uses up by: each key id of a key (or none), with its fingerprint.
CREATE OR REPLACE TEMP TABLE scope_exposed_creds AS
SELECT DISTINCT k.cred_key, nullif(r.key_id, '') AS key_id, k.fingerprint, k.first_exposed
FROM scope_credential_keys AS k
JOIN scope_credential_rows AS r ON r.cred_key = k.cred_key
WHERE r.key_id <> ''
   OR NOT EXISTS (SELECT 1 FROM scope_credential_rows AS o
                  WHERE o.cred_key = k.cred_key AND o.key_id <> '');
