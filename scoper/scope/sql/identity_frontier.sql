-- The identity edges touching the frontier (scope_id_frontier): every edge of a name, and
-- only the exchanges out of an attribute (a principal is shared: its other keys stay apart).
SELECT e.a_kind, e.a_value, e.a_scope, e.b_kind, e.b_value, e.b_scope, e.rule, e.confidence,
       e.derived, e.ts, e.source_file, e.source_line, e.fact
FROM scope_identity_edges AS e
JOIN scope_id_frontier AS f
  ON f.kind = e.a_kind AND f.value = e.a_value AND f.scope = e.a_scope
WHERE NOT f.attribute OR e.derived
UNION
SELECT e.a_kind, e.a_value, e.a_scope, e.b_kind, e.b_value, e.b_scope, e.rule, e.confidence,
       e.derived, e.ts, e.source_file, e.source_line, e.fact
FROM scope_identity_edges AS e
JOIN scope_id_frontier AS f
  ON f.kind = e.b_kind AND f.value = e.b_value AND f.scope = e.b_scope
WHERE NOT f.attribute;
