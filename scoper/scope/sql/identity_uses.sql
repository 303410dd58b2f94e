-- Step 7: uses of any matchable name of an exposed identity (scope_identity_match: key ids,
-- fingerprints, token ids, pods a token was bound to, CI OIDC subjects) after the identity's
-- first exposure.
-- A use matched through several names counts once, through its surest name. Flags sources
-- (IP, user agent) not seen for the identity before exposure, and advisory indicators.
WITH matched AS (
    SELECT m.identity_id, m.first_exposed, m.confidence, m.alias_kind, m.value, u.*
    FROM scope_identity_match AS m
    JOIN credential_uses AS u ON m.alias_kind = 'key-id' AND u.key_id = m.value
    UNION ALL
    SELECT m.identity_id, m.first_exposed, m.confidence, m.alias_kind, m.value, u.*
    FROM scope_identity_match AS m
    JOIN credential_uses AS u ON m.alias_kind = 'fingerprint' AND u.fingerprint = m.value
    UNION ALL
    SELECT m.identity_id, m.first_exposed, m.confidence, m.alias_kind, m.value, u.*
    FROM scope_identity_match AS m
    JOIN credential_uses AS u ON m.alias_kind = 'token-id' AND u.token_id = m.value
    UNION ALL
    SELECT m.identity_id, m.first_exposed, m.confidence, m.alias_kind, m.value, u.*
    FROM scope_identity_match AS m
    JOIN credential_uses AS u ON m.alias_kind = 'pod' AND u.bound_to = 'pod:' || m.value
    UNION ALL  -- a CI OIDC token redeemed: the use names the token's subject
    SELECT m.identity_id, m.first_exposed, m.confidence, m.alias_kind, m.value, u.*
    FROM scope_identity_match AS m
    JOIN credential_uses AS u ON m.alias_kind = 'oidc-subject' AND u.principal = m.value
), best AS (
    SELECT *, row_number() OVER (PARTITION BY identity_id, source_file, source_line, ts
                                 ORDER BY confidence DESC, alias_kind, value) AS n
    FROM matched
), once AS (
    SELECT * FROM best WHERE n = 1
), known_ip AS (
    SELECT DISTINCT identity_id, source_ip FROM once
    WHERE first_exposed IS NOT NULL AND ts <= first_exposed AND source_ip IS NOT NULL
    UNION  -- the address of a session holding it (a pod's own IP) is not new
    SELECT DISTINCT m.identity_id, f.address
    FROM scope_id_members AS m
    JOIN scope_cred_rep AS r
      ON r.rep_kind = m.kind AND r.rep_value = m.value AND r.rep_scope = m.scope
    JOIN scope_session_facts AS f ON f.session_id = r.session_id
    WHERE f.address IS NOT NULL
), known_agent AS (
    SELECT DISTINCT identity_id, user_agent FROM once
    WHERE first_exposed IS NOT NULL AND ts <= first_exposed AND user_agent IS NOT NULL
)
SELECT o.identity_id, o.ts, o.source_ip, o.user_agent, o.action, o.principal, o.outcome,
       o.confidence, o.alias_kind || ':' || o.value AS alias, o.source_file, o.source_line,
       coalesce(nullif(o.action, ''), 'used') || ' from '
       || coalesce(nullif(o.source_ip, ''), 'unknown IP')
       || CASE WHEN o.outcome <> '' THEN ' (' || o.outcome || ')' ELSE '' END
       || ' with ' || o.value AS fact,
       o.source_ip IS NOT NULL AND i.source_ip IS NULL AS new_ip,
       o.user_agent IS NOT NULL AND a.user_agent IS NULL AS new_user_agent,
       o.source_ip IN (SELECT value FROM scope_iocs WHERE kind = 'ip') AS indicator
FROM once AS o
LEFT JOIN known_ip AS i ON i.identity_id = o.identity_id AND i.source_ip = o.source_ip
LEFT JOIN known_agent AS a ON a.identity_id = o.identity_id AND a.user_agent = o.user_agent
WHERE o.first_exposed IS NULL OR o.ts > o.first_exposed
ORDER BY o.identity_id, o.ts, o.source_file, o.source_line;
