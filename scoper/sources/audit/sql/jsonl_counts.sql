-- Lines staged, lines unusable, and the first and the last unusable line with its reason.
SELECT (SELECT count(*) FROM scoper_jsonl), count(*), arg_min(line, line), arg_min(reason, line),
       max(line), arg_max(reason, line)
FROM scoper_jsonl_problems;
