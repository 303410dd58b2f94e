-- Swap every secret value for the fingerprint Python wrote to scoper_jsonl_secrets (every
-- distinct value has one), then drop the values.
UPDATE scoper_jsonl SET value = f.fingerprint
FROM scoper_jsonl_secrets AS f
WHERE scoper_jsonl.value = f.value;

ALTER TABLE scoper_jsonl RENAME COLUMN value TO value_fp;

DROP TABLE scoper_jsonl_secrets;
