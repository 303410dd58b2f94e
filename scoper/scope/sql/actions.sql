-- GitHub Actions uses judged by ref, resolved commit and time (scope_action_match, from
-- scope/actions.py): the uses that ran the payload (the job step that uses the action is
-- the install, trigger 'install') and the uses cleared, each with its reason.
CREATE OR REPLACE TEMP TABLE scope_action_uses AS
SELECT e.ts, e.session_id, coalesce(e.host, s.host) AS host, e.environment, e.ecosystem,
       e.package, e.version, lower(e.detail->>'sha') AS sha, e.source_file, e.source_line,
       m.confidence, m.reason
FROM events AS e
LEFT JOIN scope_session_facts AS s ON s.session_id = e.session_id
JOIN scope_action_match AS m
  ON m.name = e.package AND m.ref = e.version
 AND m.sha IS NOT DISTINCT FROM lower(e.detail->>'sha')
 AND (m.valid_from IS NULL OR e.ts >= m.valid_from)
 AND (m.valid_until IS NULL OR e.ts < m.valid_until)
WHERE e.ecosystem = 'GitHub Actions' AND e.kind = 'exec';

CREATE OR REPLACE TEMP TABLE scope_action_installs AS
SELECT u.host, u.environment, u.session_id, u.ts, u.ecosystem, u.package,
       u.version, 'install' AS trigger, CAST(NULL AS VARCHAR) AS trigger_module,
       u.confidence, u.source_file, u.source_line,
       'used ' || u.package || '@' || u.version
       || coalesce(' (SHA ' || left(u.sha, 12) || ')', '') || ': ' || u.reason AS fact
FROM scope_action_uses AS u
WHERE u.confidence IS NOT NULL;
