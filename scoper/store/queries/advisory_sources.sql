SELECT source, count(*) AS records, count(withdrawn) AS withdrawn
FROM advisory_records
GROUP BY source
ORDER BY source
