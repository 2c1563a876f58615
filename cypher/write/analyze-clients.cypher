// Writes each client's community and node embedding (stored as a float32 vector property, the form
// the vector index reads).
UNWIND $rows AS r
MATCH (c:Client {id: r.id})
SET c.community = r.community
WITH c, r
CALL db.create.setNodeVectorProperty(c, 'embedding', r.embedding)
