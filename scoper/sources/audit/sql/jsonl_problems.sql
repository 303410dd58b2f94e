-- Lines of the staged file that cannot be used, with the reason. $events: the event types,
-- $rules: the link rules, $kinds: the alias kinds (events_jsonl.py; LinkRule and AliasKind in
-- scoper/model.py). An identity line's alias values that look like secrets were listed in
-- scoper_jsonl_secret_aliases (events_values.py, dropped here); a fingerprint must look like one
-- ("fp:" + 32 hex), so a secret written as a fingerprint is refused too. Reasons never quote
-- an alias value.
CREATE OR REPLACE TEMP TABLE scoper_jsonl_problems AS
SELECT line, 'not a JSON object' AS reason
FROM scoper_jsonl
WHERE NOT ok
UNION ALL
SELECT line, reason
FROM (
    SELECT line, CASE
        WHEN event IS NULL THEN 'missing "event"'
        WHEN NOT list_contains($events, event) THEN 'unknown event type ' || event
        WHEN ts IS NULL THEN 'missing "ts"'
        WHEN ts_utc IS NULL THEN 'unparseable "ts" ' || ts
        WHEN event IN ('install', 'uninstall') AND package IS NULL THEN 'missing "package"'
        WHEN event = 'import' AND package IS NULL AND module IS NULL THEN 'missing "module"'
        WHEN event = 'credential' AND name IS NULL THEN 'missing "name"'
        WHEN event = 'env_end' AND host IS NULL AND session IS NULL THEN 'missing "host"'
        WHEN event = 'env_end' AND NOT coalesce(action IN ('removed', 'recreated', 'rebuilt',
            'reimaged'), true) THEN 'unknown env_end action ' || action
        WHEN event IN ('credential', 'credential_use') AND fingerprint IS NOT NULL
             AND NOT regexp_full_match(fingerprint, 'fp:[0-9a-f]{32}')
            THEN '"fingerprint" is not a fingerprint (send a secret as "value")'
        WHEN event IN ('session_start', 'session_end') AND session IS NULL
            THEN 'missing "session"'
        WHEN event = 'identity' THEN CASE
            WHEN rule IS NULL THEN 'missing "rule"'
            WHEN NOT list_contains($rules, rule) THEN 'unknown link rule ' || rule
            WHEN from_value IS NULL AND (to_value IS NULL OR value_fp IS NULL)
                THEN 'missing "from_value"'
            WHEN to_value IS NULL AND value_fp IS NULL THEN 'missing "to_value"'
            WHEN value_fp IS NOT NULL AND from_value IS NOT NULL AND to_value IS NOT NULL
                THEN '"value" stands for the side left out, but both are given'
            WHEN from_value IS NOT NULL AND from_kind IS NULL THEN 'missing "from_kind"'
            WHEN to_value IS NOT NULL AND to_kind IS NULL THEN 'missing "to_kind"'
            WHEN NOT list_contains($kinds, from_kind) THEN 'unknown alias kind ' || from_kind
            WHEN NOT list_contains($kinds, to_kind) THEN 'unknown alias kind ' || to_kind
            WHEN from_value IS NULL AND from_kind <> 'fingerprint'
                THEN '"value" stands for a fingerprint, not a ' || from_kind
            WHEN to_value IS NULL AND to_kind <> 'fingerprint'
                THEN '"value" stands for a fingerprint, not a ' || to_kind
            WHEN from_kind = 'fingerprint' AND NOT regexp_full_match(from_value, 'fp:[0-9a-f]{32}')
                THEN '"from_value" is not a fingerprint (send a secret as "value")'
            WHEN to_kind = 'fingerprint' AND NOT regexp_full_match(to_value, 'fp:[0-9a-f]{32}')
                THEN '"to_value" is not a fingerprint (send a secret as "value")'
            WHEN from_value IN (SELECT value FROM scoper_jsonl_secret_aliases)
                THEN '"from_value" looks like a secret (send a secret as "value")'
            WHEN to_value IN (SELECT value FROM scoper_jsonl_secret_aliases)
                THEN '"to_value" looks like a secret (send a secret as "value")'
            WHEN derived IS NOT NULL AND json_type(derived) <> 'BOOLEAN'
                THEN '"derived" is not true or false'
            WHEN confidence IS NOT NULL AND confidence NOT IN ('confirmed', 'likely', 'possible')
                THEN 'unknown confidence ' || confidence
        END
    END AS reason
    FROM scoper_jsonl
    WHERE ok
) AS checked
WHERE reason IS NOT NULL
ORDER BY line;

-- The secret-looking values are needed no longer than this.
DROP TABLE scoper_jsonl_secret_aliases;
