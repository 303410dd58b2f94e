-- Whether any environment held a bad version or any session was exposed (a GitHub Actions
-- use exposes a job without an environment); none: nothing downstream can be exposed.
SELECT 1 AS held FROM (SELECT 1 FROM scope_env UNION ALL SELECT 1 FROM scope_exposed_sessions)
LIMIT 1;
