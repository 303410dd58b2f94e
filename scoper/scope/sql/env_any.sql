-- Whether any environment held a bad version (none: nothing downstream can be exposed).
SELECT 1 AS held FROM scope_env LIMIT 1;
