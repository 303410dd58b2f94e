-- Distinct secret values (`value`) of the staged lines, for fingerprints in Python.
SELECT DISTINCT value FROM scoper_jsonl WHERE value IS NOT NULL;
