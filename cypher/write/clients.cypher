// Upserts clients with their advisor and branch; a client has one advisor: a previous MANAGED_BY
// to another advisor is removed.
UNWIND $rows AS r
MERGE (c:Client {id: r.id})
SET c += r.props
MERGE (a:Advisor {id: r.advisorId})
MERGE (b:Branch {id: r.branchId})
MERGE (a)-[:WORKS_AT]->(b)
MERGE (c)-[:MANAGED_BY]->(a)
WITH c, a
OPTIONAL MATCH (c)-[old:MANAGED_BY]->(other:Advisor)
WHERE other <> a
DELETE old
