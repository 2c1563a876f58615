// Solicitations are immutable records: a known one gets its properties refreshed (an outcome that
// arrived later), a new one is created with its relationships. A batch commits whole, so "the node
// exists" implies "its relationships exist": re-running after a crash creates nothing twice.
UNWIND $rows AS r
OPTIONAL MATCH (old:Solicitation {id: r.id})
FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | SET old += r.props)
WITH r, old
WHERE old IS NULL
MATCH (c:Client {id: r.clientId})
MATCH (p:Product {id: r.productId})
MATCH (ch:Channel {id: r.channelId})
CREATE (s:Solicitation {id: r.id})
SET s += r.props
CREATE (s)-[:TARGETED]->(c)
CREATE (s)-[:OFFERED]->(p)
CREATE (s)-[:VIA]->(ch)
WITH s, r
OPTIONAL MATCH (k:Campaign {id: r.campaignId})
FOREACH (_ IN CASE WHEN k IS NULL THEN [] ELSE [1] END | CREATE (s)-[:PART_OF]->(k))
