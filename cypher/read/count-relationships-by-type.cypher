// Relationship counts per type (summaries and tests; scans every relationship).
MATCH ()-[r]->()
RETURN type(r) AS name, count(*) AS count
ORDER BY name
