-- Distinct credential lines' members as written (the value as its fingerprint), for
-- classes in Python.
SELECT DISTINCT name, path, kind, class, value_fp, key_id FROM scoper_jsonl
WHERE event = 'credential';
