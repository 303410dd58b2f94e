-- Where each exposed identity's credential rows live: a file by (path, host); a value held in
-- sessions' environments by (name, kind, class, session kind), with how many sessions hold it
-- that way. Each group shows its first row (session, host, scope, evidence).
WITH held AS (
    SELECT m.identity_id, r.name, r.kind, r.harvest_class, r.host, r.path,
           f.kind AS session_kind, r.own_kind, r.own_value, r.own_scope, r.session_id,
           r.self_kind, r.self_value, r.rep_kind, r.rep_value, r.source_file, r.source_line,
           CASE WHEN coalesce(r.path, '') <> '' THEN coalesce(r.host, r.own_scope) END AS place
    FROM scope_id_members AS m
    JOIN scope_cred_rep AS r
      ON r.rep_kind = m.kind AND r.rep_value = m.value AND r.rep_scope = m.scope
    LEFT JOIN scope_session_facts AS f ON f.session_id = r.session_id
), numbered AS (
    -- the portable form of count(DISTINCT session_id) OVER (...), which Spark has not: the
    -- highest dense rank of a non-null session in the group
    SELECT *,
           dense_rank() OVER (PARTITION BY identity_id, name, kind, harvest_class, path, place,
                                           session_kind ORDER BY session_id NULLS LAST)
               AS session_rank
    FROM held
), ranked AS (
    SELECT *,
           coalesce(max(CASE WHEN session_id IS NOT NULL THEN session_rank END)
                        OVER (PARTITION BY identity_id, name, kind, harvest_class, path, place,
                                           session_kind), 0) AS sessions,
           row_number() OVER (PARTITION BY identity_id, name, kind, harvest_class, path, place,
                                           session_kind
                              ORDER BY session_id NULLS LAST, source_file, source_line) AS n
    FROM numbered
)
SELECT identity_id, name, kind, harvest_class, host, path, session_kind, own_kind, own_value,
       own_scope AS scope, self_kind, self_value, rep_kind, rep_value, session_id, sessions, source_file, source_line
FROM ranked WHERE n = 1
ORDER BY identity_id, name, path NULLS FIRST, place NULLS FIRST, kind, harvest_class,
         session_kind NULLS FIRST;
