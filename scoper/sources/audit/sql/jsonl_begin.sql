-- Lines kept across chunks (events_jsonl.py) for the inserts that group over the whole file
-- (jsonl_finish.sql): session lines, and identity lines with their facts already redacted.
CREATE OR REPLACE TEMP TABLE scoper_jsonl_session_lines (
    line BIGINT, event VARCHAR, session VARCHAR, host VARCHAR, kind VARCHAR, actor VARCHAR,
    image_digest VARCHAR, environment VARCHAR, address VARCHAR, ts_utc TIMESTAMP
);

CREATE OR REPLACE TEMP TABLE scoper_jsonl_link_lines (
    rule VARCHAR, source_kind VARCHAR, source_value VARCHAR, target_kind VARCHAR,
    target_value VARCHAR, confidence VARCHAR, derived BOOLEAN, session VARCHAR, host VARCHAR,
    fact VARCHAR, ts_utc TIMESTAMP, line BIGINT
);
