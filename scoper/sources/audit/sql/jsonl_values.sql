-- Distinct secret values (`value`) of the staged lines, for fingerprints in Python.
SELECT DISTINCT json_extract_string(j, '$.value') AS value
FROM scoper_jsonl_lines
WHERE contains(j, '"value"') AND json_valid(j) AND json_extract_string(j, '$.value') IS NOT NULL;
