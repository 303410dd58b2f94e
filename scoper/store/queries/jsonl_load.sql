-- Move the usable staged lines into the canonical tables. Parameters: $ingest_id, $file.
DELETE FROM scoper_jsonl WHERE NOT ok OR line IN (SELECT line FROM scoper_jsonl_problems);

INSERT INTO sessions (ingest_id, session_id, host, kind, actor, started_at, ended_at,
                      image_digest, environment, source_file, source_line)
SELECT $ingest_id, session,
       any_value(host), any_value(kind), any_value(actor),
       min(ts_utc) FILTER (WHERE event = 'session_start'),
       max(ts_utc) FILTER (WHERE event = 'session_end'),
       any_value(image_digest), any_value(environment), $file,
       min(line) FILTER (WHERE event = 'session_start')
FROM scoper_jsonl
WHERE event IN ('session_start', 'session_end')
GROUP BY session;

INSERT INTO events (ingest_id, ts, session_id, host, kind, ecosystem, package, version, spec,
                    environment, module, program, command, detail, source_file, source_line)
SELECT $ingest_id, ts_utc, session, host, event,
       CASE WHEN package IS NULL THEN NULL
            WHEN ecosystem IS NULL OR lower(ecosystem) = 'pypi' THEN 'PyPI'
            WHEN lower(ecosystem) = 'npm' THEN 'npm' ELSE ecosystem END,
       CASE WHEN ecosystem IS NULL OR lower(ecosystem) = 'pypi'
            THEN lower(regexp_replace(package, '[-_.]+', '-', 'g')) ELSE package END,
       version, spec, environment, module, program,
       CASE WHEN regexp_matches(command, '://[^/@\s]*@|(ghp_|gho_|ghs_|github_pat_|sk-|xox[abpr]-|glpat-|npm_|pypi-|AKIA|ASIA)[A-Za-z0-9_\-]{8}|[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY)[A-Z0-9_]*=')
            THEN regexp_replace(
               regexp_replace(
                   regexp_replace(command, '://[^/@\s:]+:[^/@\s]+@', '://***@', 'g'),
                   '\b(ghp_|gho_|ghs_|github_pat_|sk-ant-|sk-|xox[abpr]-|glpat-|npm_|pypi-|AKIA|ASIA)[A-Za-z0-9_\-]{8,}',
                   '\1***', 'g'),
               '\b([A-Z][A-Z0-9_]*(TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY)[A-Z0-9_]*)=\S+', '\1=***', 'g')
            ELSE command END,
       CASE WHEN installer IS NULL AND hashes IS NULL AND dest IS NULL AND detail IS NULL
                 AND path IS NULL AND action IS NULL THEN NULL
            ELSE json_object('installer', installer, 'hashes', hashes, 'dest', dest,
                             'path', path, 'action', action, 'detail', detail) END,
       $file, line
FROM scoper_jsonl
WHERE event IN ('install', 'uninstall', 'exec', 'import', 'network', 'file');

INSERT INTO credentials (ingest_id, session_id, host, name, kind, harvest_class, fingerprint,
                         key_id, path, first_seen, source_file, source_line)
SELECT $ingest_id, session, host, name, coalesce(kind, ''), coalesce(class, ''),
       value_fp,
       key_id, path, ts_utc, $file, line
FROM scoper_jsonl
WHERE event = 'credential';

INSERT INTO credential_uses (ingest_id, ts, key_id, fingerprint, principal, source_ip,
                             user_agent, action, outcome, source_file, source_line)
SELECT $ingest_id, ts_utc, key_id,
       value_fp,
       principal, source_ip, user_agent, action, outcome, $file, line
FROM scoper_jsonl
WHERE event = 'credential_use';
