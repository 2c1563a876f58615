// Every (label or relationship type, property, Cypher value type) with its count: with the graph
// fingerprint it proves two ingest paths store the same types, not only values that print alike
// (the driver returns INTEGER and FLOAT both as JS numbers). For small graphs only.
CALL () {
  MATCH (n)
  UNWIND keys(n) AS key
  RETURN labels(n)[0] AS owner, key, valueType(n[key]) AS type
  UNION ALL
  MATCH ()-[r]->()
  UNWIND keys(r) AS key
  RETURN type(r) AS owner, key, valueType(r[key]) AS type
}
RETURN owner, key, type, count(*) AS count
ORDER BY owner, key, type
