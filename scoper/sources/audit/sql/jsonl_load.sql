-- Move one chunk's staged lines into the canonical tables, through the maps events_values.py
-- wrote (redacted text and detail, canonical names, credential classes). Session and identity
-- lines, which group over the whole file, are kept for jsonl_finish.sql. Parameters:
-- $ingest_id, $file.
INSERT INTO scoper_jsonl_session_lines
SELECT line, event, session, host, kind, actor, image_digest, environment, address, ts_utc
FROM scoper_jsonl
WHERE event IN ('session_start', 'session_end');

-- detail: the line's `detail` object with the typed members (installer, hashes, dest, path,
-- action) that are present merged in; NULL when empty, as Python sources store it. `members`
-- (NULL when the line has none) is spelled out with concat_ws, which skips NULLs, because
-- json_object keeps them. `interpreter` is read on exec lines only (NULL when absent: the scope
-- views count `python*` programs as Python starts).
INSERT INTO events (ingest_id, ts, session_id, host, kind, ecosystem, package, version, spec,
                    environment, module, program, command, interpreter, detail, source_file,
                    source_line)
SELECT $ingest_id, ts_utc, session, host, event, ecosystem, package, version, spec,
       environment, module, program, command, interpreter,
       CASE WHEN detail IS NULL THEN members
            ELSE nullif(json_merge_patch(
                CASE WHEN json_type(detail) = 'OBJECT' THEN detail
                     ELSE json_object('detail', detail) END,
                coalesce(members, '{}')), '{}') END,
       $file, line
FROM (
    SELECT s.ts_utc, s.session, s.host, s.event, p.ecosystem, p.package, s.version, s.spec,
           s.environment, s.module, s.program, coalesce(c.shown, s.command) AS command,
           CASE WHEN s.event = 'exec' THEN s.interpreter END AS interpreter,
           coalesce(CAST(d.shown AS JSON), s.detail) AS detail, s.line,
           CASE WHEN s.installer IS NOT NULL OR s.hashes IS NOT NULL OR s.dest IS NOT NULL
                     OR s.path IS NOT NULL OR s.action IS NOT NULL
                THEN CAST('{' || concat_ws(',',
                    '"installer":' || to_json(s.installer), '"hashes":' || s.hashes,
                    '"dest":' || to_json(coalesce(t.shown, s.dest)), '"path":' || to_json(s.path),
                    '"action":' || to_json(s.action)) || '}' AS JSON) END AS members
    FROM scoper_jsonl AS s
    LEFT JOIN scoper_jsonl_packages AS p
        ON p.package_in = s.package AND p.ecosystem_in IS NOT DISTINCT FROM s.ecosystem
    LEFT JOIN scoper_jsonl_texts AS c ON c.raw = s.command
    LEFT JOIN scoper_jsonl_texts AS t ON t.raw = s.dest
    LEFT JOIN scoper_jsonl_details AS d ON d.raw = CAST(s.detail AS VARCHAR)
    WHERE s.event IN ('install', 'uninstall', 'exec', 'import', 'network', 'file', 'env_end')
) AS activity;

INSERT INTO credentials (ingest_id, session_id, host, name, kind, harvest_class, fingerprint,
                         key_id, path, first_seen, source_file, source_line)
SELECT $ingest_id, s.session, s.host, s.name, m.kind, m.harvest_class, s.value_fp,
       m.key_id, s.path, s.ts_utc, $file, s.line
FROM scoper_jsonl AS s
JOIN scoper_jsonl_credentials AS m
    ON m.name = s.name AND m.path IS NOT DISTINCT FROM s.path
   AND m.kind_in IS NOT DISTINCT FROM s.kind AND m.class_in IS NOT DISTINCT FROM s.class
   AND m.value_fp IS NOT DISTINCT FROM s.value_fp AND m.key_id_in IS NOT DISTINCT FROM s.key_id
WHERE s.event = 'credential';

INSERT INTO credential_uses (ingest_id, ts, key_id, fingerprint, principal, source_ip,
                             user_agent, action, outcome, service, token_id, bound_to,
                             source_file, source_line)
SELECT $ingest_id, s.ts_utc, s.key_id, s.value_fp, s.principal, s.source_ip,
       coalesce(u.shown, s.user_agent), s.action, s.outcome, s.service, s.token_id, s.bound_to,
       $file, s.line
FROM scoper_jsonl AS s
LEFT JOIN scoper_jsonl_texts AS u ON u.raw = s.user_agent
WHERE s.event = 'credential_use';

-- Identity lines, facts redacted, kept for one grouped insert after the last chunk
-- (jsonl_finish.sql).
INSERT INTO scoper_jsonl_link_lines
SELECT s.rule, coalesce(s.from_kind, 'fingerprint'), coalesce(s.from_value, s.value_fp),
       coalesce(s.to_kind, 'fingerprint'), coalesce(s.to_value, s.value_fp),
       coalesce(s.confidence, 'confirmed'), coalesce(CAST(s.derived AS BOOLEAN), false),
       s.session, s.host, coalesce(f.shown, s.fact), s.ts_utc, s.line
FROM scoper_jsonl AS s
LEFT JOIN scoper_jsonl_texts AS f ON f.raw = s.fact
WHERE s.event = 'identity';
