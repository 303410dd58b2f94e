-- Distinct (name, ref, resolved sha) of the advisory's GitHub Actions used by jobs, for
-- Python to judge once each (scope/actions.py). Creates the table it fills.
CREATE OR REPLACE TEMP TABLE scope_action_match (
    name VARCHAR, ref VARCHAR, sha VARCHAR, valid_from TIMESTAMP, valid_until TIMESTAMP,
    confidence INTEGER, reason VARCHAR
);

SELECT DISTINCT e.package, e.version, lower(e.detail->>'sha')
FROM events AS e
JOIN scope_names AS n ON n.ecosystem = e.ecosystem AND n.name = e.package
WHERE e.ecosystem = 'GitHub Actions' AND e.kind = 'exec' AND e.version IS NOT NULL;
