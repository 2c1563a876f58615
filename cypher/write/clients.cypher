// Upserts clients and links each to its advisor (written before, by write/advisors). A client has
// one advisor: a MANAGED_BY to another advisor, left by an earlier export, is removed.
UNWIND $rows AS r
MERGE (c:Client {id: r.id})
SET c += r.props
WITH c, r
CALL (c, r) {
  MATCH (c)-[old:MANAGED_BY]->(other:Advisor)
  WHERE other.id <> r.advisorId
  DELETE old
}
WITH c, r
MATCH (a:Advisor {id: r.advisorId})
MERGE (c)-[:MANAGED_BY]->(a)
