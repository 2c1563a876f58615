// Stores a batch of served suggestions with everything needed to replay their explanation, linked
// FOR the client, OF the product and VIA the channel (none for 'no contact') and BY_MODEL the model.
// Idempotent: a batch commits whole, so a known id means its node and relationships were written
// by an earlier attempt (a retry after a lost acknowledgement): it is skipped, and the new ones are
// CREATEd with their relationships, which saves the existence check of every relationship MERGE
// (49 db hits a row with MERGE, 24 without: docs/api.md, "Audit").
UNWIND $rows AS r
OPTIONAL MATCH (old:Recommendation {id: r.id})
WITH r, old
WHERE old IS NULL
MATCH (c:Client {id: r.clientId})
MERGE (m:Model {version: r.props.modelVersion})
ON CREATE SET m.kind = r.modelKind, m.createdAt = r.props.servedAt
CREATE (rec:Recommendation {id: r.id})
SET rec += r.props
CREATE (rec)-[:FOR]->(c)
CREATE (rec)-[:BY_MODEL]->(m)
WITH rec, r
OPTIONAL MATCH (p:Product {id: r.props.productId})
OPTIONAL MATCH (ch:Channel {id: r.props.channel})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (rec)-[:OF]->(p))
FOREACH (_ IN CASE WHEN ch IS NULL THEN [] ELSE [1] END | CREATE (rec)-[:VIA]->(ch))
RETURN count(rec) AS written
