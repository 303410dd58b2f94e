DELETE FROM advisory_records WHERE advisory_id IN (SELECT unnest($ids));
DELETE FROM advisories WHERE advisory_id IN (SELECT unnest($ids));
DELETE FROM advisory_aliases WHERE advisory_id IN (SELECT unnest($ids));
DELETE FROM advisory_windows WHERE advisory_id IN (SELECT unnest($ids));
DELETE FROM advisory_harvests WHERE advisory_id IN (SELECT unnest($ids));
DELETE FROM affected WHERE advisory_id IN (SELECT unnest($ids));
DELETE FROM advisory_hashes WHERE advisory_id IN (SELECT unnest($ids));
