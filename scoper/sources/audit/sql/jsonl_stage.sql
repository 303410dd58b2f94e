-- Parse one chunk of lines (scoper_jsonl_lines: an Arrow table (line, j) registered by
-- events_values.stage, from events_chunks.py): DuckDB's JSON extension parses each line once
-- (TRY: a line that is not valid JSON gives NULL, so `ok` is false); the raw lines are not kept. Secret values (`value`) are swapped for their fingerprints right
-- after (jsonl_values.sql, jsonl_fingerprint.sql), before the loader reads the table.
CREATE OR REPLACE TEMP TABLE scoper_jsonl AS
SELECT line, nonblank, r IS NOT NULL AS ok, r.*,
       CAST(TRY_CAST(r.ts AS TIMESTAMPTZ) AS TIMESTAMP) AS ts_utc
FROM (
    SELECT line, nonblank,
           CASE WHEN object THEN TRY(json_transform(j, '{
               "ts": "VARCHAR", "event": "VARCHAR", "session": "VARCHAR", "host": "VARCHAR",
               "kind": "VARCHAR", "actor": "VARCHAR", "image_digest": "VARCHAR",
               "environment": "VARCHAR", "ecosystem": "VARCHAR", "package": "VARCHAR",
               "version": "VARCHAR", "spec": "VARCHAR", "module": "VARCHAR",
               "program": "VARCHAR", "command": "VARCHAR", "name": "VARCHAR",
               "class": "VARCHAR", "path": "VARCHAR", "value": "VARCHAR", "key_id": "VARCHAR",
               "principal": "VARCHAR", "source_ip": "VARCHAR", "user_agent": "VARCHAR",
               "action": "VARCHAR", "outcome": "VARCHAR", "dest": "VARCHAR",
               "installer": "VARCHAR", "address": "VARCHAR", "interpreter": "VARCHAR",
               "service": "VARCHAR", "token_id": "VARCHAR", "bound_to": "VARCHAR",
               "rule": "VARCHAR", "from_kind": "VARCHAR", "from_value": "VARCHAR",
               "to_kind": "VARCHAR", "to_value": "VARCHAR", "confidence": "VARCHAR",
               "fact": "VARCHAR", "fingerprint": "VARCHAR",
               "hashes": "JSON", "detail": "JSON", "derived": "JSON"
           }')) END AS r
    FROM (
        SELECT line, j, coalesce(regexp_matches(j, '\S'), false) AS nonblank,
               coalesce(regexp_matches(j, '^\s*\{'), false) AS object
        FROM scoper_jsonl_lines
    ) AS checked
) AS parsed
WHERE nonblank;
