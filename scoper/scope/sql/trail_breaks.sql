-- Recorded trails whose hash chain breaks (store migration 0007): their evidence from the
-- break on is not trusted as recorded, and every scope says so.
SELECT DISTINCT source_file, source_line, reason
FROM trail_breaks
ORDER BY source_file, source_line;
