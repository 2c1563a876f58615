// Writes each verbatim's sentiment and E5 embedding (a float32 vector property, the form the
// vector index reads), links it ABOUT {from: 'text'} the product or channel its text names when it
// had no such link, and replaces its MENTIONS link with the one to its topic.
UNWIND $rows AS r
MATCH (v:Verbatim {id: r.id})
SET v.sentiment = r.sentiment, v.sentimentMixed = r.mixed, v.sentimentMethod = r.method
WITH v, r
CALL db.create.setNodeVectorProperty(v, 'embedding', r.embedding)
WITH v, r
OPTIONAL MATCH (p:Product {id: r.textProduct})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (v)-[a:ABOUT]->(p) SET a.from = 'text')
WITH v, r
OPTIONAL MATCH (ch:Channel {id: r.textChannel})
FOREACH (_ IN CASE WHEN ch IS NULL THEN [] ELSE [1] END | MERGE (v)-[a:ABOUT]->(ch) SET a.from = 'text')
WITH v, r
OPTIONAL MATCH (v)-[old:MENTIONS]->(:Topic)
WITH v, r, collect(old) AS olds
FOREACH (m IN olds | DELETE m)
WITH v, r
MATCH (t:Topic {id: r.topic})
CREATE (v)-[:MENTIONS]->(t)
