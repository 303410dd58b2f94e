-- Lines of the staged file that cannot be used, with the reason.
CREATE OR REPLACE TEMP TABLE scoper_jsonl_problems AS
SELECT line, 'not a JSON object' AS reason
FROM scoper_jsonl
WHERE NOT ok
UNION ALL
SELECT line, CASE
    WHEN event IS NULL THEN 'missing "event"'
    WHEN event NOT IN ('session_start', 'session_end', 'install', 'uninstall', 'exec', 'import',
                       'network', 'file', 'credential', 'credential_use')
        THEN 'unknown event type ' || event
    WHEN ts IS NULL THEN 'missing "ts"'
    WHEN ts_utc IS NULL THEN 'unparseable "ts" ' || ts
    WHEN event IN ('install', 'uninstall') AND package IS NULL THEN 'missing "package"'
    WHEN event = 'import' AND package IS NULL AND module IS NULL THEN 'missing "module"'
    WHEN event = 'credential' AND name IS NULL THEN 'missing "name"'
    WHEN event IN ('session_start', 'session_end') AND session IS NULL THEN 'missing "session"'
END AS reason
FROM scoper_jsonl
WHERE ok AND (event IS NULL OR ts IS NULL OR ts_utc IS NULL
   OR event NOT IN ('session_start', 'session_end', 'install', 'uninstall', 'exec', 'import',
                    'network', 'file', 'credential', 'credential_use')
   OR (event IN ('install', 'uninstall') AND package IS NULL)
   OR (event = 'import' AND package IS NULL AND module IS NULL)
   OR (event = 'credential' AND name IS NULL)
   OR (event IN ('session_start', 'session_end') AND session IS NULL))
ORDER BY line;
