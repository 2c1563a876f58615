// Products a client holds (open and closed).
MATCH (:Client {id: $id})-[h:HOLDS]->(p:Product)
RETURN p.id AS productId, h.openedAt AS openedAt, h.closedAt AS closedAt
