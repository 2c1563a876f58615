// Stores a batch of served suggestions with everything needed to replay their explanation, linked
// FOR the client, OF the product and VIA the channel (none for 'no contact') and BY_MODEL the model.
// MERGE on the id: a batch retried after a lost acknowledgement creates nothing twice.
UNWIND $rows AS r
MATCH (c:Client {id: r.clientId})
MERGE (m:Model {version: r.props.modelVersion})
ON CREATE SET m.kind = r.modelKind, m.createdAt = r.props.servedAt
MERGE (rec:Recommendation {id: r.id})
SET rec += r.props
MERGE (rec)-[:FOR]->(c)
MERGE (rec)-[:BY_MODEL]->(m)
WITH rec, r
OPTIONAL MATCH (p:Product {id: r.props.productId})
OPTIONAL MATCH (ch:Channel {id: r.props.channel})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (rec)-[:OF]->(p))
FOREACH (_ IN CASE WHEN ch IS NULL THEN [] ELSE [1] END | MERGE (rec)-[:VIA]->(ch))
RETURN count(rec) AS written
