// One journey event (idempotent on its id), ABOUT its product when given.
MATCH (c:Client {id: $clientId})
MERGE (e:Event {id: $id})
ON CREATE SET e += $props
MERGE (c)-[:DID]->(e)
WITH e
OPTIONAL MATCH (p:Product {id: $productId})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (e)-[:ABOUT]->(p))
RETURN e.id AS id
