-- Distinct free text (command lines, connection destinations, user agents, identity links'
-- facts) that redaction could change. $suspect (events_values.SUSPECT) matches every text
-- redact_command would change, and few others, so Python sees a small share of the distinct
-- values.
SELECT command FROM scoper_jsonl WHERE regexp_matches(command, $suspect)
UNION
SELECT dest FROM scoper_jsonl WHERE regexp_matches(dest, $suspect)
UNION
SELECT user_agent FROM scoper_jsonl WHERE regexp_matches(user_agent, $suspect)
UNION
SELECT fact FROM scoper_jsonl WHERE regexp_matches(fact, $suspect);
