-- Where each exposed identity's credential rows live (scope_id_members: its names).
SELECT DISTINCT m.identity_id, n.name, n.kind, n.harvest_class, n.session_id, n.host, n.path,
       f.kind AS session_kind
FROM scope_id_members AS m
JOIN scope_cred_nodes AS n
  ON n.node_kind = m.kind AND n.node_value = m.value AND n.node_scope = m.scope
LEFT JOIN scope_session_facts AS f ON f.session_id = n.session_id
ORDER BY m.identity_id, n.session_id NULLS LAST, n.host NULLS LAST, n.path NULLS LAST, n.name;
