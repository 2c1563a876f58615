// One HOLDS per (client, product, opening date): a product closed and reopened is two holdings.
UNWIND $rows AS r
MATCH (c:Client {id: r.clientId})
MATCH (p:Product {id: r.productId})
MERGE (c)-[h:HOLDS {openedAt: r.openedAt}]->(p)
SET h += r.props
