-- Parse the valid lines of the staged file into typed columns (one JSON parse per line).
CREATE OR REPLACE TEMP TABLE scoper_jsonl AS
SELECT line, r.*, CAST(TRY_CAST(r.ts AS TIMESTAMPTZ) AS TIMESTAMP) AS ts_utc
FROM (
    SELECT line, json_transform(j, '{
        "ts": "VARCHAR", "event": "VARCHAR", "session": "VARCHAR", "host": "VARCHAR",
        "kind": "VARCHAR", "actor": "VARCHAR", "image_digest": "VARCHAR",
        "environment": "VARCHAR", "ecosystem": "VARCHAR", "package": "VARCHAR",
        "version": "VARCHAR", "spec": "VARCHAR", "module": "VARCHAR", "program": "VARCHAR",
        "command": "VARCHAR", "name": "VARCHAR", "class": "VARCHAR", "path": "VARCHAR",
        "value": "VARCHAR", "key_id": "VARCHAR", "principal": "VARCHAR",
        "source_ip": "VARCHAR", "user_agent": "VARCHAR", "action": "VARCHAR",
        "dest": "VARCHAR", "installer": "VARCHAR", "hashes": "JSON", "detail": "JSON"
    }') AS r
    FROM scoper_jsonl_raw
    WHERE regexp_matches(j, '^\s*\{') AND json_valid(j)
);
