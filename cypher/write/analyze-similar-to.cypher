// Replaces each client's SIMILAR_TO relationships with its current top-k most similar clients.
UNWIND $rows AS r
MATCH (c:Client {id: r.id})
CALL (c) {
  MATCH (c)-[old:SIMILAR_TO]->(:Client)
  DELETE old
}
WITH c, r
UNWIND r.neighbours AS n
MATCH (o:Client {id: n.id})
CREATE (c)-[:SIMILAR_TO {score: n.score}]->(o)
