// The clients of a list of ids (a request's few clients) with every record the features are
// computed from, as features-client-page returns them.
MATCH (c:Client)
WHERE c.id IN $ids
WITH c
ORDER BY c.id
RETURN c.id AS id, c.birthYear AS birthYear, c.segment AS segment, c.incomeBand AS incomeBand,
       c.riskProfile AS riskProfile, c.financiallyFragile AS fragile, c.customerSince AS customerSince,
       [(c)-[h:HOLDS]->(p:Product) | [p.id, h.openedAt, h.closedAt]] AS holdings,
       [(c)-[k:CONSENT]->(ch:Channel) | [ch.id, k.history, k.at, k.status]] AS consents,
       [(s:Solicitation)-[:TARGETED]->(c) |
         [head([(s)-[:OFFERED]->(p:Product) | p.id]), head([(s)-[:VIA]->(ch:Channel) | ch.id]),
          s.sentAt, s.loggingPropensity, s.outcome, s.outcomeAt]] AS solicitations,
       [(c)-[:DID]->(e:Event) | [e.at, e.type, head([(e)-[:ABOUT]->(p:Product) | p.id]), e.sessionId]] AS events,
       [(c)-[:HAS_ACCOUNT]->(a:Account) | [a.type, a.months, a.balances]] AS accounts,
       [(c)-[:WROTE]->(v:Verbatim) |
         [v.at, head([(v)-[:ABOUT]->(p:Product) | p.id]), head([(v)-[:ABOUT]->(ch:Channel) | ch.id]), v.score]]
         AS verbatims
