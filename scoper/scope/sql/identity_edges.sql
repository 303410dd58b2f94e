-- Step 6b: the identity graph's edges (docs/identities.md). A node is (kind, value, scope):
-- scope names the session (or "host:<host>") for env-name and held nodes, the host for file
-- nodes, and is '' for names that are global (fingerprint, key-id, token-id, pod, ...).
-- Parameters: the confidence ranks $confirmed, $likely, $possible.

-- Every credential row as a node: a file by its path on its host (inside a container, in that
-- container: pods on one node each mount their own token), else its name where held.
CREATE OR REPLACE TEMP TABLE scope_cred_nodes AS
SELECT c.*,
       CASE WHEN coalesce(c.path, '') <> '' THEN 'file' ELSE 'env-name' END AS node_kind,
       CASE WHEN coalesce(c.path, '') <> '' THEN c.path ELSE c.name END AS node_value,
       CASE WHEN coalesce(c.path, '') = '' THEN coalesce(c.session_id, 'host:' || c.host, '')
            WHEN f.image_digest IS NOT NULL OR f.kind = 'pod'
            THEN c.session_id
            ELSE coalesce(c.host, c.session_id, '') END AS node_scope
FROM credentials AS c
LEFT JOIN scope_session_facts AS f ON f.session_id = c.session_id;

-- The families each session holds: from its credential names, and from readers' held links.
CREATE OR REPLACE TEMP TABLE scope_held AS
SELECT DISTINCT n.session_id, h.family, n.node_kind, n.node_value, n.node_scope,
       n.first_seen, n.source_file, n.source_line
FROM scope_cred_nodes AS n
JOIN scope_held_names AS h ON h.name = n.name OR h.kind = n.kind
WHERE n.session_id IS NOT NULL;

CREATE OR REPLACE TEMP TABLE scope_identity_edges AS
SELECT node_kind AS a_kind, node_value AS a_value, node_scope AS a_scope,
       'fingerprint' AS b_kind, fingerprint AS b_value, '' AS b_scope,
       'same-fingerprint' AS rule, $confirmed AS confidence, false AS derived,
       first_seen AS ts, source_file, source_line,
       name || ' held the value fingerprinted ' || fingerprint AS fact
FROM scope_cred_nodes WHERE coalesce(fingerprint, '') <> ''
UNION ALL
SELECT node_kind, node_value, node_scope,
       CASE WHEN starts_with(key_id, 'system:') THEN 'principal' ELSE 'key-id' END, key_id, '',
       'seen-with', $confirmed, false, first_seen, source_file, source_line,
       name || ' names key ' || key_id
FROM scope_cred_nodes WHERE coalesce(key_id, '') <> ''
UNION ALL
SELECT node_kind, node_value, node_scope, 'held', family, session_id, 'held', $confirmed, false,
       first_seen, source_file, source_line,
       node_value || ' is one of the ' || family || ' credentials session ' || session_id || ' holds'
FROM scope_held
UNION ALL
SELECT source_kind, source_value,
       CASE WHEN source_kind IN ('env-name', 'held') THEN coalesce(session_id, 'host:' || host, '')
            WHEN source_kind = 'file' THEN coalesce(host, session_id, '') ELSE '' END,
       target_kind, target_value,
       CASE WHEN target_kind IN ('env-name', 'held') THEN coalesce(session_id, 'host:' || host, '')
            WHEN target_kind = 'file' THEN coalesce(host, session_id, '') ELSE '' END,
       rule,
       CASE confidence WHEN 'confirmed' THEN $confirmed WHEN 'likely' THEN $likely
                       ELSE $possible END,
       derived, ts, source_file, source_line,
       coalesce(fact, rule || ': ' || source_value || ' -> ' || target_value)
FROM identity_links
UNION ALL
SELECT n.node_kind, n.node_value, n.node_scope, m.alias_kind, m.alias_value, '', 'mapping',
       $confirmed, false, NULL, m.source_file, m.source_line, m.fact
FROM scope_identity_mapping AS m
JOIN (SELECT DISTINCT name, node_kind, node_value, node_scope FROM scope_cred_nodes) AS n
  ON n.name = m.name;

-- used-while-held (likely): a key or token used during an exposed session's lifetime, by the
-- principal that session printed, or from the address the session was seen using. The first
-- such use is the evidence.
INSERT INTO scope_identity_edges
WITH life AS (
    SELECT s.session_id, f.address,
           coalesce(f.started_at, e.first_ts) AS started, coalesce(f.ended_at, e.last_ts) AS ended
    FROM scope_exposed_sessions AS s
    JOIN scope_session_facts AS f ON f.session_id = s.session_id
    LEFT JOIN (SELECT session_id, min(ts) AS first_ts, max(ts) AS last_ts
               FROM events WHERE session_id IN (SELECT session_id FROM scope_exposed_sessions)
               GROUP BY session_id) AS e ON e.session_id = s.session_id
), held AS (
    SELECT DISTINCT session_id, family FROM scope_held
    UNION
    SELECT DISTINCT session_id, source_value FROM identity_links
    WHERE source_kind = 'held' AND session_id IS NOT NULL
), printed AS (
    SELECT DISTINCT session_id, source_value AS family, target_value AS principal
    FROM identity_links
    WHERE rule = 'printed-identity' AND source_kind = 'held' AND target_kind = 'principal'
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
SELECT 'held', family, session_id, node_kind, node_value, '', 'used-while-held', $likely, false,
       ts, source_file, source_line,
       node_value || ' was used' || coalesce(' by ' || principal, '')
       || coalesce(' from ' || source_ip, '') || ' while session ' || session_id
       || ' held ' || family || ' credentials'
FROM hits WHERE n = 1;

-- The seeds: every exposed credential row's node, and the held nodes of exposed sessions.
CREATE OR REPLACE TEMP TABLE scope_identity_seeds AS
SELECT n.node_kind, n.node_value, n.node_scope, r.confidence, r.first_exposed, r.name, r.kind,
       r.harvest_class, r.session_id, r.host, r.source_file, r.source_line, r.fact
FROM scope_credential_rows AS r
JOIN scope_cred_nodes AS n
  ON n.source_file = r.source_file AND n.source_line IS NOT DISTINCT FROM r.source_line
 AND n.name = r.name AND n.session_id IS NOT DISTINCT FROM r.session_id
UNION ALL
SELECT DISTINCT 'held', e.a_value, e.a_scope, s.confidence, s.first_exposed,
       e.a_value || ' credentials', e.a_value || '-credentials', 'env', s.session_id, s.host,
       e.source_file, e.source_line, e.a_value || ' credentials held by session ' || s.session_id
FROM scope_identity_edges AS e
JOIN scope_exposed_sessions AS s ON s.session_id = e.a_scope
WHERE e.a_kind = 'held' AND e.rule <> 'held';
