-- Step 7: uses of exposed credentials after their first exposure, flagging sources
-- (IP, user agent) never seen for that credential before exposure.
-- Input: scope_exposed_creds(cred_key, key_id, fingerprint, first_exposed). A use matches by
-- key id, else by fingerprint (two equi-joins, each use once).
WITH matched AS (
    SELECT c.cred_key, c.key_id AS cred_key_id, c.first_exposed, u.*
    FROM scope_exposed_creds AS c
    JOIN credential_uses AS u ON u.key_id = c.key_id
    UNION ALL
    SELECT c.cred_key, c.key_id, c.first_exposed, u.*
    FROM scope_exposed_creds AS c
    JOIN credential_uses AS u ON u.fingerprint = c.fingerprint
    WHERE c.key_id IS NULL OR u.key_id IS NULL OR u.key_id <> c.key_id
), known_ip AS (
    SELECT DISTINCT cred_key, cred_key_id, source_ip FROM matched
    WHERE ts <= first_exposed AND source_ip IS NOT NULL
), known_agent AS (
    SELECT DISTINCT cred_key, cred_key_id, user_agent FROM matched
    WHERE ts <= first_exposed AND user_agent IS NOT NULL
)
SELECT m.cred_key, m.ts, m.source_ip, m.user_agent, m.action, m.principal, m.outcome,
       m.source_file, m.source_line,
       coalesce(nullif(m.action, ''), 'used') || ' from '
       || coalesce(nullif(m.source_ip, ''), 'unknown IP')
       || CASE WHEN m.outcome <> '' THEN ' (' || m.outcome || ')' ELSE '' END AS fact,
       m.source_ip IS NOT NULL AND i.source_ip IS NULL AS new_ip,
       m.user_agent IS NOT NULL AND a.user_agent IS NULL AS new_user_agent
FROM matched AS m
LEFT JOIN known_ip AS i
  ON i.cred_key = m.cred_key AND i.cred_key_id IS NOT DISTINCT FROM m.cred_key_id
 AND i.source_ip = m.source_ip
LEFT JOIN known_agent AS a
  ON a.cred_key = m.cred_key AND a.cred_key_id IS NOT DISTINCT FROM m.cred_key_id
 AND a.user_agent = m.user_agent
WHERE m.ts > m.first_exposed
ORDER BY m.cred_key, m.ts;
