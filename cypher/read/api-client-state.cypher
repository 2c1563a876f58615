// Everything the rules need about one client, in one round trip (the API's ClientStateReader):
// profile, advisor (access check), holdings, consents (the latest decision and the history of
// decisions, so that the one in force at any date is known), every solicitation with its channel,
// product and outcome (the reader keeps the contacts of the pressure window and the latest refusal
// per product), and the accepted recommendations not yet sent (PLANNED_FOR: planned contacts).
MATCH (c:Client {id: $id})
OPTIONAL MATCH (c)-[:MANAGED_BY]->(a:Advisor)
WITH c, a LIMIT 1
CALL (c) {
  OPTIONAL MATCH (c)-[h:HOLDS]->(p:Product)
  RETURN collect({productId: p.id, openedAt: h.openedAt, closedAt: h.closedAt}) AS holdings
}
CALL (c) {
  OPTIONAL MATCH (c)-[k:CONSENT]->(ch:Channel)
  RETURN collect({channel: ch.id, status: k.status, at: k.at, history: k.history}) AS consents
}
CALL (c) {
  OPTIONAL MATCH (s:Solicitation)-[:TARGETED]->(c)
  OPTIONAL MATCH (s)-[:VIA]->(ch:Channel)
  OPTIONAL MATCH (s)-[:OFFERED]->(p:Product)
  RETURN collect({channel: ch.id, productId: p.id, sentAt: s.sentAt, outcome: s.outcome, outcomeAt: s.outcomeAt}) AS solicitations
}
CALL (c) {
  OPTIONAL MATCH (r:Recommendation)-[:PLANNED_FOR]->(c)
  RETURN collect({channel: r.channel, productId: r.productId, decidedAt: r.decidedAt}) AS planned
}
RETURN c {.birthYear, .segment, .riskProfile, .financiallyFragile} AS client, a.id AS advisorId,
       holdings, consents, solicitations, planned
