-- Up to 10 proofs per exposed identity: its strongest, earliest holder rows.
WITH ranked AS (
    SELECT m.identity_id, r.source_file, r.source_line, r.fact,
           row_number() OVER (PARTITION BY m.identity_id
                              ORDER BY r.confidence DESC, r.first_exposed NULLS LAST,
                                       r.source_file, r.source_line, r.fact) AS n
    FROM scope_id_members AS m
    JOIN scope_seed_rows AS r
      ON r.rep_kind = m.kind AND r.rep_value = m.value AND r.rep_scope = m.scope
)
SELECT identity_id, source_file, source_line, fact FROM ranked WHERE n <= 10
ORDER BY identity_id, n;
