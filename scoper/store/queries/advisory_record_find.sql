-- The imported record named ``$name``: an exact id first, else an alias (case-insensitive).
SELECT origin, record FROM (
    SELECT r.origin, CAST(r.record AS VARCHAR) AS record, 0 AS rank, r.advisory_id
    FROM advisory_records AS r
    WHERE lower(r.advisory_id) = lower($name)
    UNION ALL
    SELECT r.origin, CAST(r.record AS VARCHAR), 1, r.advisory_id
    FROM advisory_records AS r
    JOIN advisory_aliases AS a ON a.advisory_id = r.advisory_id
    WHERE lower(a.alias) = lower($name)
)
ORDER BY rank, advisory_id
LIMIT 1
