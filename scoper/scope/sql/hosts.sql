-- Exposed hosts, one row per evidence, by host.
SELECT h.host, h.confidence, h.first_exposed, e.file, e.line, e.fact
FROM scope_exposed_hosts AS h
JOIN scope_host_evidence AS e ON e.host = h.host
ORDER BY h.host, e.evidence_n;
