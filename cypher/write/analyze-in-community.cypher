// Links each client to its community, replacing the link of an earlier analysis.
UNWIND $rows AS r
MATCH (c:Client {id: r.id})
CALL (c) {
  MATCH (c)-[old:IN_COMMUNITY]->(:Community)
  DELETE old
}
WITH c, r
MATCH (k:Community {id: r.community})
CREATE (c)-[:IN_COMMUNITY]->(k)
