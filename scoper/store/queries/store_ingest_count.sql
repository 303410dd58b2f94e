-- How many files were ingested (scope refuses an empty store).
SELECT count(*) FROM ingests
