-- Whether this evidence (content, path, host) is already in the store.
SELECT 1 FROM ingests
WHERE sha256 = $sha AND path = $path AND host IS NOT DISTINCT FROM $host
