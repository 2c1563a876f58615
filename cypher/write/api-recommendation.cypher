// Stores one served suggestion with everything needed to replay its explanation, linked FOR the
// client, OF the product and VIA the channel (no product or channel for 'no contact').
MATCH (c:Client {id: $clientId})
CREATE (r:Recommendation {id: $id})
SET r += $props
CREATE (r)-[:FOR]->(c)
WITH r
OPTIONAL MATCH (p:Product {id: $productId})
OPTIONAL MATCH (ch:Channel {id: $channelId})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (r)-[:OF]->(p))
FOREACH (_ IN CASE WHEN ch IS NULL THEN [] ELSE [1] END | CREATE (r)-[:VIA]->(ch))
RETURN r.id AS id
