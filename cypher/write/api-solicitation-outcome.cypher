// A solicitation and its outcome (idempotent on its id; a later outcome replaces the earlier one).
MATCH (c:Client {id: $clientId})
MATCH (p:Product {id: $productId})
MATCH (ch:Channel {id: $channelId})
MERGE (s:Solicitation {id: $id})
SET s += $props
MERGE (s)-[:TARGETED]->(c)
MERGE (s)-[:OFFERED]->(p)
MERGE (s)-[:VIA]->(ch)
RETURN s.id AS id
