// Journey events: immutable; created once with DID (and ABOUT when about a product).
UNWIND $rows AS r
OPTIONAL MATCH (old:Event {id: r.id})
FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | SET old += r.props)
WITH r, old
WHERE old IS NULL
MATCH (c:Client {id: r.clientId})
CREATE (e:Event {id: r.id})
SET e += r.props
CREATE (c)-[:DID]->(e)
WITH e, r
OPTIONAL MATCH (p:Product {id: r.productId})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (e)-[:ABOUT]->(p))
