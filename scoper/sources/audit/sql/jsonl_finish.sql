-- After the last chunk: one session row per session, and each distinct identity link once, at
-- its first line and that line's time (a reader emits a link once per file). Parameters:
-- $ingest_id, $file.
INSERT INTO sessions (ingest_id, session_id, host, kind, actor, started_at, ended_at,
                      image_digest, environment, address, source_file, source_line)
SELECT $ingest_id, session,
       any_value(host), any_value(kind), any_value(actor),
       min(ts_utc) FILTER (WHERE event = 'session_start'),
       max(ts_utc) FILTER (WHERE event = 'session_end'),
       any_value(image_digest), any_value(environment), any_value(address), $file,
       min(line) FILTER (WHERE event = 'session_start')
FROM scoper_jsonl_session_lines
GROUP BY session;

INSERT INTO identity_links (ingest_id, rule, source_kind, source_value, target_kind,
                            target_value, confidence, derived, session_id, host, ts, fact,
                            source_file, source_line)
SELECT $ingest_id, rule, source_kind, source_value, target_kind, target_value, confidence,
       derived, session, host, arg_min(ts_utc, line), fact, $file, min(line)
FROM scoper_jsonl_link_lines
GROUP BY rule, source_kind, source_value, target_kind, target_value, confidence, derived,
         session, host, fact
ORDER BY min(line);

DROP TABLE scoper_jsonl_session_lines;

DROP TABLE scoper_jsonl_link_lines;
