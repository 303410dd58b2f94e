-- Step 6b: the identity graph's edges (docs/identities.md), contracted here so Python only
-- sees distinct names. A node is (kind, value, scope): scope names the session (or
-- "host:<host>") for env-name and held nodes, the host (inside a container, the container's
-- session) for file nodes, and is '' for global names (fingerprint, key-id, token-id, pod...).
-- Each credential row stands for its value's fingerprint, else its key id, else its own name;
-- the rows a session holds of one family (AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY) share
-- one representative. Parameters: the confidence ranks $confirmed, $likely, $possible.
CREATE OR REPLACE TEMP TABLE scope_cred_rep AS
WITH own AS (
    SELECT c.*,
           CASE WHEN coalesce(c.path, '') <> '' THEN 'file' ELSE 'env-name' END AS own_kind,
           CASE WHEN coalesce(c.path, '') <> '' THEN c.path ELSE c.name END AS own_value,
           CASE WHEN coalesce(c.path, '') = '' THEN coalesce(c.session_id, 'host:' || c.host, '')
                WHEN f.image_digest IS NOT NULL OR f.kind = 'pod' THEN c.session_id
                ELSE coalesce(c.host, c.session_id, '') END AS own_scope,
           CASE WHEN c.session_id IS NOT NULL THEN
               (SELECT min(h.family) FROM scope_held_names AS h
                 WHERE h.name = c.name OR h.kind = c.kind) END AS family
    FROM credentials AS c
    LEFT JOIN scope_session_facts AS f ON f.session_id = c.session_id
), self AS (
    SELECT o.*,
           CASE WHEN coalesce(fingerprint, '') <> '' THEN 'fingerprint'
                WHEN coalesce(key_id, '') <> '' AND NOT starts_with(key_id, 'system:')
                THEN 'key-id' ELSE own_kind END AS self_kind,
           CASE WHEN coalesce(fingerprint, '') <> '' THEN fingerprint
                WHEN coalesce(key_id, '') <> '' AND NOT starts_with(key_id, 'system:')
                THEN key_id ELSE own_value END AS self_value,
           CASE WHEN coalesce(fingerprint, '') <> ''
                  OR (coalesce(key_id, '') <> '' AND NOT starts_with(key_id, 'system:'))
                THEN '' ELSE own_scope END AS self_scope
    FROM own AS o
), grouped AS (
    SELECT session_id, family,
           min(CASE self_kind WHEN 'fingerprint' THEN '0' WHEN 'key-id' THEN '1' ELSE '2' END
               || chr(31) || self_kind || chr(31) || self_value || chr(31) || self_scope) AS pick
    FROM self WHERE family IS NOT NULL
    GROUP BY session_id, family
)
SELECT s.*,
       coalesce(split_part(g.pick, chr(31), 2), s.self_kind) AS rep_kind,
       coalesce(split_part(g.pick, chr(31), 3), s.self_value) AS rep_value,
       coalesce(split_part(g.pick, chr(31), 4), s.self_scope) AS rep_scope
FROM self AS s
LEFT JOIN grouped AS g ON g.session_id = s.session_id AND g.family = s.family;

-- Readers' links, with the scope of their session- and host-bound ends.
CREATE OR REPLACE TEMP TABLE scope_reader_links AS
SELECT source_kind AS a_kind, source_value AS a_value,
       CASE WHEN source_kind IN ('env-name', 'held') THEN coalesce(session_id, 'host:' || host, '')
            WHEN source_kind = 'file' THEN coalesce(host, session_id, '') ELSE '' END AS a_scope,
       target_kind AS b_kind, target_value AS b_value,
       CASE WHEN target_kind IN ('env-name', 'held') THEN coalesce(session_id, 'host:' || host, '')
            WHEN target_kind = 'file' THEN coalesce(host, session_id, '') ELSE '' END AS b_scope,
       rule,
       CASE confidence WHEN 'confirmed' THEN $confirmed WHEN 'likely' THEN $likely
                       ELSE $possible END AS confidence,
       derived, ts, source_file, source_line,
       coalesce(fact, rule || ': ' || source_value || ' -> ' || target_value) AS fact
FROM identity_links;

-- used-while-held (likely): a key or token used during an exposed session's lifetime, by the
-- principal that session printed, or from the address the session was seen using. The first
-- such use is the evidence.
CREATE OR REPLACE TEMP TABLE scope_used_while_held AS
WITH life AS (
    SELECT s.session_id, f.address,
           coalesce(f.started_at, e.first_ts) AS started, coalesce(f.ended_at, e.last_ts) AS ended
    FROM scope_exposed_sessions AS s
    JOIN scope_session_facts AS f ON f.session_id = s.session_id
    LEFT JOIN (SELECT session_id, min(ts) AS first_ts, max(ts) AS last_ts
               FROM events WHERE session_id IN (SELECT session_id FROM scope_exposed_sessions)
               GROUP BY session_id) AS e ON e.session_id = s.session_id
), held AS (
    SELECT DISTINCT session_id, family FROM scope_cred_rep WHERE family IS NOT NULL
    UNION
    SELECT DISTINCT a_scope, a_value FROM scope_reader_links WHERE a_kind = 'held'
), printed AS (
    SELECT DISTINCT a_scope AS session_id, a_value AS family, b_value AS principal
    FROM scope_reader_links
    WHERE rule = 'printed-identity' AND a_kind = 'held' AND b_kind = 'principal'
), uses AS (
    SELECT u.*,
           coalesce(u.service, CASE WHEN regexp_matches(coalesce(u.key_id, ''), '^(AKIA|ASIA)')
                                    THEN 'aws' END) AS family,
           CASE WHEN coalesce(u.token_id, '') <> '' THEN 'token-id' ELSE 'key-id' END AS node_kind,
           coalesce(nullif(u.token_id, ''), nullif(u.key_id, '')) AS node_value
    FROM credential_uses AS u
), hits AS (
    SELECT h.session_id, h.family, u.node_kind, u.node_value, u.ts, u.source_file,
           u.source_line, u.principal, u.source_ip,
           row_number() OVER (PARTITION BY h.session_id, h.family, u.node_kind, u.node_value
                              ORDER BY u.ts, u.source_file, u.source_line) AS n
    FROM held AS h
    JOIN life AS l ON l.session_id = h.session_id
    JOIN uses AS u ON u.family = h.family AND u.ts >= l.started AND u.ts <= l.ended
    LEFT JOIN printed AS p
      ON p.session_id = h.session_id AND p.family = h.family AND p.principal = u.principal
    WHERE u.node_value IS NOT NULL
      AND (p.principal IS NOT NULL OR (l.address IS NOT NULL AND u.source_ip = l.address))
)
SELECT 'held' AS a_kind, family AS a_value, session_id AS a_scope, node_kind AS b_kind,
       node_value AS b_value, '' AS b_scope, 'used-while-held' AS rule, $likely AS confidence,
       false AS derived, ts, source_file, source_line,
       node_value || ' was used' || coalesce(' by ' || principal, '')
       || coalesce(' from ' || source_ip, '') || ' while session ' || session_id
       || ' held ' || family || ' credentials' AS fact
FROM hits WHERE n = 1;

-- Names some link speaks of: a held or own name outside these needs no node of its own.
CREATE OR REPLACE TEMP TABLE scope_linked AS
SELECT DISTINCT kind, value, scope FROM (
    SELECT a_kind AS kind, a_value AS value, a_scope AS scope FROM scope_reader_links
    UNION ALL SELECT b_kind, b_value, b_scope FROM scope_reader_links
    UNION ALL SELECT a_kind, a_value, a_scope FROM scope_used_while_held
);

CREATE OR REPLACE TEMP TABLE scope_identity_edges AS
WITH row_edges AS (
    -- a row's own value (or key id) and its session's family representative
    SELECT self_kind AS a_kind, self_value AS a_value, self_scope AS a_scope, rep_kind AS b_kind,
           rep_value AS b_value, rep_scope AS b_scope, 'held' AS rule, first_seen AS ts,
           source_file, source_line,
           name || ' is one of the ' || family || ' credentials session ' || session_id
           || ' holds' AS fact
    FROM scope_cred_rep
    WHERE (self_kind, self_value, self_scope) <> (rep_kind, rep_value, rep_scope)
    UNION ALL
    SELECT 'fingerprint', fingerprint, '', 'key-id', key_id, '', 'seen-with', first_seen,
           source_file, source_line, name || ' names key ' || key_id
    FROM scope_cred_rep
    WHERE coalesce(fingerprint, '') <> '' AND coalesce(key_id, '') <> ''
      AND NOT starts_with(key_id, 'system:')
    UNION ALL
    SELECT rep_kind, rep_value, rep_scope, 'principal', key_id, '', 'owner', first_seen,
           source_file, source_line, name || ' belongs to ' || key_id
    FROM scope_cred_rep WHERE starts_with(key_id, 'system:')
    UNION ALL
    -- a held or own name some link speaks of, joined to its row's representative
    SELECT l.kind, l.value, l.scope, r.rep_kind, r.rep_value, r.rep_scope, 'held', r.first_seen,
           r.source_file, r.source_line,
           r.name || ' is one of the ' || r.family || ' credentials session ' || r.session_id
           || ' holds'
    FROM scope_cred_rep AS r
    JOIN scope_linked AS l ON l.kind = 'held' AND l.value = r.family AND l.scope = r.session_id
    UNION ALL
    SELECT l.kind, l.value, l.scope, r.rep_kind, r.rep_value, r.rep_scope, 'seen', r.first_seen,
           r.source_file, r.source_line, r.name || ' as read from the evidence'
    FROM scope_cred_rep AS r
    JOIN scope_linked AS l
      ON l.kind = r.own_kind AND l.value = r.own_value AND l.scope = r.own_scope
    WHERE (r.own_kind, r.own_value, r.own_scope) <> (r.rep_kind, r.rep_value, r.rep_scope)
    UNION ALL
    SELECT DISTINCT r.rep_kind, r.rep_value, r.rep_scope, m.alias_kind, m.alias_value, '',
           'mapping', NULL, m.source_file, m.source_line, m.fact
    FROM scope_identity_mapping AS m
    JOIN scope_cred_rep AS r ON r.name = m.name
), once AS (
    SELECT *, row_number() OVER (PARTITION BY a_kind, a_value, a_scope, b_kind, b_value, b_scope,
                                              rule ORDER BY ts NULLS LAST, source_file,
                                              source_line) AS n
    FROM row_edges
)
SELECT a_kind, a_value, a_scope, b_kind, b_value, b_scope, rule, $confirmed AS confidence,
       false AS derived, ts, source_file, source_line, fact
FROM once WHERE n = 1
UNION ALL
SELECT * FROM scope_reader_links
UNION ALL
SELECT * FROM scope_used_while_held;

-- The seeds: each exposed representative, with its strongest exposure and first holder row;
-- and the held names of exposed sessions that links speak of.
CREATE OR REPLACE TEMP TABLE scope_seed_rows AS
SELECT r.*, n.rep_kind, n.rep_value, n.rep_scope
FROM scope_credential_rows AS r
JOIN scope_cred_rep AS n
  ON n.source_file = r.source_file AND n.source_line IS NOT DISTINCT FROM r.source_line
 AND n.name = r.name AND n.session_id IS NOT DISTINCT FROM r.session_id;

CREATE OR REPLACE TEMP TABLE scope_identity_seeds AS
WITH ranked AS (
    SELECT *, max(confidence) OVER (PARTITION BY rep_kind, rep_value, rep_scope) AS best,
           row_number() OVER (PARTITION BY rep_kind, rep_value, rep_scope
                              ORDER BY confidence DESC, name, kind, session_id NULLS LAST,
                                       host NULLS LAST, source_file, source_line) AS first_n
    FROM scope_seed_rows
)
SELECT rep_kind AS node_kind, rep_value AS node_value, rep_scope AS node_scope,
       max(best) AS confidence,
       min(CASE WHEN confidence = best THEN first_exposed END) AS first_exposed,
       max(CASE WHEN first_n = 1 THEN name END) AS name,
       max(CASE WHEN first_n = 1 THEN kind END) AS kind,
       max(CASE WHEN first_n = 1 THEN source_file END) AS source_file,
       max(CASE WHEN first_n = 1 THEN source_line END) AS source_line,
       max(CASE WHEN first_n = 1 THEN fact END) AS fact
FROM ranked
GROUP BY rep_kind, rep_value, rep_scope
UNION ALL
SELECT 'held', l.value, l.scope, s.confidence, s.first_exposed, l.value || ' credentials',
       l.value || '-credentials', e.source_file, e.source_line,
       l.value || ' credentials held by session ' || s.session_id
FROM scope_linked AS l
JOIN scope_exposed_sessions AS s ON s.session_id = l.scope
JOIN (SELECT a_value, a_scope, min(source_file) AS source_file, min(source_line) AS source_line
      FROM scope_reader_links WHERE a_kind = 'held' GROUP BY a_value, a_scope) AS e
  ON e.a_value = l.value AND e.a_scope = l.scope
WHERE l.kind = 'held'
  AND NOT EXISTS (SELECT 1 FROM scope_cred_rep AS r
                  WHERE r.family = l.value AND r.session_id = l.scope);

-- The exposed sessions holding each seed (descendants made inside their lifetime count).
CREATE OR REPLACE TEMP TABLE scope_seed_sessions AS
SELECT DISTINCT rep_kind AS node_kind, rep_value AS node_value, rep_scope AS node_scope,
       session_id
FROM scope_seed_rows WHERE session_id IS NOT NULL
UNION
SELECT 'held', l.value, l.scope, l.scope
FROM scope_linked AS l JOIN scope_exposed_sessions AS s ON s.session_id = l.scope
WHERE l.kind = 'held';
