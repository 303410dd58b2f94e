SELECT origin, CAST(record AS VARCHAR) AS record
FROM advisory_records
ORDER BY advisory_id
