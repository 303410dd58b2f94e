-- The evidence (content, path) already stored for one host (NULL: none named).
SELECT sha256, path FROM ingests WHERE host IS NOT DISTINCT FROM $host
