-- Distinct alias values of identity lines written as names (not as fingerprints), for the
-- check in Python that none of them is a secret (events_values.py).
SELECT from_value FROM scoper_jsonl
WHERE event = 'identity' AND from_value IS NOT NULL AND from_kind IS DISTINCT FROM 'fingerprint'
UNION
SELECT to_value FROM scoper_jsonl
WHERE event = 'identity' AND to_value IS NOT NULL AND to_kind IS DISTINCT FROM 'fingerprint';
