// Writes each verbatim's sentiment and E5 embedding (a float32 vector property, the form the
// vector index reads), and replaces its MENTIONS link with the one to its topic.
UNWIND $rows AS r
MATCH (v:Verbatim {id: r.id})
SET v.sentiment = r.sentiment, v.sentimentMixed = r.mixed, v.sentimentMethod = r.method
WITH v, r
CALL db.create.setNodeVectorProperty(v, 'embedding', r.embedding)
WITH v, r
OPTIONAL MATCH (v)-[old:MENTIONS]->(:Topic)
WITH v, r, collect(old) AS olds
FOREACH (m IN olds | DELETE m)
WITH v, r
MATCH (t:Topic {id: r.topic})
CREATE (v)-[:MENTIONS]->(t)
