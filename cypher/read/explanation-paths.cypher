// For each request ($requests: {clientId, productIds}; each row carries `i`, the index of its
// request, for src/db/read-batcher.ts), real graph paths from the client to each of the products,
// at most 4 per product, by kind:
// similar clients holding it, the client's journey events and verbatims about it, community
// members and same-advisor clients holding it.
UNWIND range(0, size($requests) - 1) AS i
MATCH (c:Client {id: $requests[i].clientId})
UNWIND $requests[i].productIds AS productId
MATCH (p:Product {id: productId})
CALL (c, p) {
  CALL (c, p) {
    MATCH path = (c)-[:SIMILAR_TO]-(:Client)-[:HOLDS]->(p)
    RETURN path, 'similar-client' AS kind LIMIT 2
    UNION
    MATCH path = (c)-[:DID]->(:Event)-[:ABOUT]->(p)
    RETURN path, 'journey-event' AS kind LIMIT 1
    UNION
    MATCH path = (c)-[:WROTE]->(:Verbatim)-[:ABOUT]->(p)
    RETURN path, 'verbatim' AS kind LIMIT 1
    UNION
    MATCH path = (c)-[:IN_COMMUNITY]->(:Community)<-[:IN_COMMUNITY]-(:Client)-[:HOLDS]->(p)
    RETURN path, 'community' AS kind LIMIT 1
    UNION
    MATCH path = (c)-[:MANAGED_BY]->(:Advisor)<-[:MANAGED_BY]-(:Client)-[:HOLDS]->(p)
    RETURN path, 'same-advisor' AS kind LIMIT 1
  }
  RETURN path, kind LIMIT 4
}
RETURN i, productId, kind,
       [n IN nodes(path) | {id: n.id, label: labels(n)[0]}] AS nodes,
       [r IN relationships(path) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS rels
