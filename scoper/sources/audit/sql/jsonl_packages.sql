-- Distinct (ecosystem, package) pairs as written, for canonical names in Python.
SELECT DISTINCT ecosystem, package FROM scoper_jsonl WHERE package IS NOT NULL;
