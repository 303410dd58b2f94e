-- Distinct (ecosystem, name, version, spec, time bound) values of the advisory's packages,
-- for Python to evaluate once each.
SELECT DISTINCT p.ecosystem, p.name, p.version, coalesce(p.spec, '') AS spec,
       CAST(NULL AS TIMESTAMP) AS exclude_newer
FROM packages AS p
JOIN scope_names AS a
  ON a.ecosystem = p.ecosystem AND a.name = p.name
UNION
SELECT DISTINCT e.ecosystem, e.package, e.version, coalesce(e.spec, ''),
       -- same expression as scope_events.exclude_newer (views.sql): the command's own bound
       TRY_CAST(json_extract_string(e.detail, '$.exclude_newer') AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
FROM events AS e
JOIN scope_names AS a
  ON a.ecosystem = e.ecosystem AND a.name = e.package
WHERE e.kind IN ('install', 'uninstall');
