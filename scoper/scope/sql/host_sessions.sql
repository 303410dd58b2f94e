-- The exposed sessions of each exposed host.
SELECT host, session_id
FROM scope_exposed_sessions
WHERE host <> ''
ORDER BY host, session_id;
