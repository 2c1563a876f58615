// One page of clients (keyset pagination on the unique id index) with everything the graph
// projection needs: profile, open and closed holdings, journey events about products, solicitations.
MATCH (c:Client)
WHERE c.id > $after
WITH c
ORDER BY c.id
LIMIT $limit
RETURN c.id AS id, c.segment AS segment, c.birthYear AS birthYear, c.incomeBand AS incomeBand,
       c.riskProfile AS riskProfile, c.financiallyFragile AS fragile,
       [(c)-[h:HOLDS]->(p:Product) | [p.id, h.closedAt]] AS holdings,
       [(c)-[:DID]->(e:Event)-[:ABOUT]->(p:Product) | [p.id, e.type]] AS journeys,
       [(s:Solicitation)-[:TARGETED]->(c) | [s.outcome, head([(s)-[:OFFERED]->(p:Product) | p.id]), head([(s)-[:VIA]->(ch:Channel) | ch.id])]] AS solicitations
