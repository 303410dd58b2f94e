-- Imported advisories (`scoper advisories import`): each OSV record as read, so later runs
-- parse it with the loader of their version (nothing is lost to a normalisation), plus the
-- normalised rows in the advisories tables of 0001 for `scoper sql` users.
CREATE TABLE advisory_records (
    advisory_id VARCHAR PRIMARY KEY,
    source      VARCHAR NOT NULL,   -- the path given to `advisories import` (counts per source)
    origin      VARCHAR NOT NULL,   -- the file, or archive!member, the record came from
    published   TIMESTAMP,
    modified    TIMESTAMP,
    withdrawn   TIMESTAMP,
    imported_at TIMESTAMP NOT NULL,
    record      JSON NOT NULL
);
