// Verbatims: immutable; created once with WROTE, and ABOUT the product and/or channel they name.
UNWIND $rows AS r
OPTIONAL MATCH (old:Verbatim {id: r.id})
FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | SET old += r.props)
WITH r, old
WHERE old IS NULL
MATCH (c:Client {id: r.clientId})
CREATE (v:Verbatim {id: r.id})
SET v += r.props
CREATE (c)-[:WROTE]->(v)
WITH v, r
OPTIONAL MATCH (p:Product {id: r.productId})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (v)-[:ABOUT]->(p))
WITH v, r
OPTIONAL MATCH (ch:Channel {id: r.channelId})
FOREACH (_ IN CASE WHEN ch IS NULL THEN [] ELSE [1] END | CREATE (v)-[:ABOUT]->(ch))
