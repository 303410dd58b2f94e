-- Step 7: uses of exposed credentials after their first exposure, flagging sources
-- (IP, user agent) never seen for that credential before exposure.
-- Input: scope_exposed_creds(cred_key, key_id, fingerprint, first_exposed).
SELECT c.cred_key, u.ts, u.source_ip, u.user_agent, u.action, u.principal, u.outcome,
       u.source_file, u.source_line,
       coalesce(nullif(u.action, ''), 'used') || ' from '
       || coalesce(nullif(u.source_ip, ''), 'unknown IP')
       || CASE WHEN u.outcome <> '' THEN ' (' || u.outcome || ')' ELSE '' END AS fact,
       u.source_ip IS NOT NULL AND u.source_ip NOT IN (
           SELECT b.source_ip FROM credential_uses AS b
           WHERE ((b.key_id = c.key_id) OR (b.fingerprint = c.fingerprint))
             AND b.ts <= c.first_exposed AND b.source_ip IS NOT NULL) AS new_ip,
       u.user_agent IS NOT NULL AND u.user_agent NOT IN (
           SELECT b.user_agent FROM credential_uses AS b
           WHERE ((b.key_id = c.key_id) OR (b.fingerprint = c.fingerprint))
             AND b.ts <= c.first_exposed AND b.user_agent IS NOT NULL) AS new_user_agent
FROM scope_exposed_creds AS c
JOIN credential_uses AS u
  ON ((u.key_id = c.key_id) OR (u.fingerprint = c.fingerprint)) AND u.ts > c.first_exposed
ORDER BY c.cred_key, u.ts;
