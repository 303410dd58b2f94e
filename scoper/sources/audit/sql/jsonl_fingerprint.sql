-- Swap every secret value for the fingerprint Python wrote to scoper_jsonl_secrets (every
-- distinct value has one), then drop the values.
UPDATE scoper_jsonl SET value = f.fingerprint
FROM scoper_jsonl_secrets AS f
WHERE scoper_jsonl.value = f.value;

ALTER TABLE scoper_jsonl RENAME COLUMN value TO value_fp;

DROP TABLE scoper_jsonl_secrets;

-- A recorder fingerprinted the value at write time (scoper record): its `fingerprint` stands
-- for the value on credential and credential_use lines (a malformed one is refused in
-- jsonl_problems.sql).
UPDATE scoper_jsonl SET value_fp = fingerprint
WHERE value_fp IS NULL AND event IN ('credential', 'credential_use')
  AND regexp_full_match(fingerprint, 'fp:[0-9a-f]{32}');
