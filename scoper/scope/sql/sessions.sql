-- Exposed sessions, one row per evidence, by session id.
SELECT s.session_id, s.host, s.confidence, s.first_exposed, e.file, e.line, e.fact
FROM scope_exposed_sessions AS s
JOIN scope_session_evidence AS e ON e.session_id = s.session_id
ORDER BY s.session_id, e.evidence_n;
