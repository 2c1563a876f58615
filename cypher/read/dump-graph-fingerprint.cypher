// Every node with its labels and properties, and every relationship with its endpoints' keys and
// properties: lets a test prove that re-ingesting changed nothing. For small graphs only.
MATCH (n)
OPTIONAL MATCH (n)-[r]->(m)
RETURN labels(n) AS labels, properties(n) AS props,
       collect(CASE WHEN r IS NULL THEN null ELSE [type(r), coalesce(m.id, m.version), properties(r)] END) AS out
