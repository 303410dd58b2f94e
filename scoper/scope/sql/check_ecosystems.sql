-- Per checked file and ecosystem: how many packages, and the line of the first one.
SELECT p.ecosystem, p.source_file, min(p.source_line) AS source_line, count(*) AS packages
FROM packages AS p
GROUP BY p.ecosystem, p.source_file
ORDER BY p.source_file, p.ecosystem;
