// Node counts per label (summaries and tests; scans every node).
MATCH (n)
UNWIND labels(n) AS name
RETURN name, count(*) AS count
ORDER BY name
