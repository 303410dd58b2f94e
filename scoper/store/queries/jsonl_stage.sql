-- Stage one scoper-events JSONL file, one row per physical line.
-- read_csv with a never-used delimiter yields one VARCHAR per line (blank lines as NULL), so
-- line numbers are exact (numbering first, in its own step, lets the parse below run in
-- parallel). DuckDB's JSON extension then parses each line once; secret values are
-- fingerprinted in that step and the raw lines are dropped at once, so the staged table the
-- loader works from never holds a secret. Parameters: $path, $compression, $key.
CREATE OR REPLACE TEMP TABLE scoper_jsonl_lines AS
SELECT row_number() OVER () AS line, j
FROM read_csv($path, columns = {'j': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
              header = false, auto_detect = false, compression = $compression);

CREATE OR REPLACE TEMP TABLE scoper_jsonl AS
SELECT line, nonblank, ok, r.* EXCLUDE (value),
       CASE WHEN r.value IS NULL THEN NULL
            ELSE 'fp:' || left(sha256($key || ':' || r.value), 32) END AS value_fp,
       CAST(TRY_CAST(r.ts AS TIMESTAMPTZ) AS TIMESTAMP) AS ts_utc
FROM (
    SELECT line, nonblank, ok,
           CASE WHEN ok THEN json_transform(j, '{
               "ts": "VARCHAR", "event": "VARCHAR", "session": "VARCHAR", "host": "VARCHAR",
               "kind": "VARCHAR", "actor": "VARCHAR", "image_digest": "VARCHAR",
               "environment": "VARCHAR", "ecosystem": "VARCHAR", "package": "VARCHAR",
               "version": "VARCHAR", "spec": "VARCHAR", "module": "VARCHAR",
               "program": "VARCHAR", "command": "VARCHAR", "name": "VARCHAR",
               "class": "VARCHAR", "path": "VARCHAR", "value": "VARCHAR", "key_id": "VARCHAR",
               "principal": "VARCHAR", "source_ip": "VARCHAR", "user_agent": "VARCHAR",
               "action": "VARCHAR", "outcome": "VARCHAR", "dest": "VARCHAR",
               "installer": "VARCHAR",
               "hashes": "JSON", "detail": "JSON"
           }') END AS r
    FROM (
        SELECT line, j, coalesce(regexp_matches(j, '\S'), false) AS nonblank,
               coalesce(regexp_matches(j, '^\s*\{') AND json_valid(j), false) AS ok
        FROM scoper_jsonl_lines
    ) AS checked
) AS parsed
WHERE nonblank;

DROP TABLE scoper_jsonl_lines;
