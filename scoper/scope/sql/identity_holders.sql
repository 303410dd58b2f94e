-- The exposed sessions and hosts holding each exposed identity (scope_id_members: its names).
SELECT DISTINCT m.identity_id, r.session_id, r.host
FROM scope_id_members AS m
JOIN scope_seed_rows AS r
  ON r.rep_kind = m.kind AND r.rep_value = m.value AND r.rep_scope = m.scope
ORDER BY m.identity_id, r.session_id NULLS LAST, r.host NULLS LAST;
