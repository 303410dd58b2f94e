-- The exposed sessions and hosts holding each exposed identity (scope_id_members: its names),
-- including sessions whose held credentials only a printed identity or a use shows.
SELECT DISTINCT m.identity_id, r.session_id, r.host
FROM scope_id_members AS m
JOIN scope_seed_rows AS r
  ON r.rep_kind = m.kind AND r.rep_value = m.value AND r.rep_scope = m.scope
UNION
SELECT DISTINCT m.identity_id, s.session_id, e.host
FROM scope_id_members AS m
JOIN scope_seed_sessions AS s
  ON s.node_kind = m.kind AND s.node_value = m.value AND s.node_scope = m.scope
JOIN scope_exposed_sessions AS e ON e.session_id = s.session_id
ORDER BY 1, 2 NULLS LAST, 3 NULLS LAST;
