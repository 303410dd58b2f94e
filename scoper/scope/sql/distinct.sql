-- Distinct (ecosystem, name, version, spec) values of the advisory's packages, for Python
-- to evaluate once each.
SELECT DISTINCT p.ecosystem, p.name, p.version, coalesce(p.spec, '') AS spec
FROM packages AS p
JOIN scope_names AS a
  ON a.ecosystem = p.ecosystem AND a.name = p.name
UNION
SELECT DISTINCT e.ecosystem, e.package, e.version, coalesce(e.spec, '')
FROM events AS e
JOIN scope_names AS a
  ON a.ecosystem = e.ecosystem AND a.name = e.package
WHERE e.kind IN ('install', 'uninstall');
