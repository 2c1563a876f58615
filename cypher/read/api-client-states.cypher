// Everything the rules need about each requested client, in one round trip for a batch of requests
// ($requests: client ids; each row carries `i`, the index of its request; an unknown id gives no
// row; src/db/read-batcher.ts coalesces the API's concurrent reads into such batches):
// profile, advisor (access check), holdings, consents (the latest decision and the history of
// decisions, so that the one in force at any date is known), every solicitation with its channel,
// product and outcome (the reader keeps the contacts of the pressure window and the latest refusal
// per product), the accepted recommendations not yet sent (PLANNED_FOR: planned contacts), and, for
// a trained model ($modelVersion; null for none), the client's precomputed scores (`nbg score`, with
// the explanation paths of the products it could be served) and the latest journey event and
// verbatim dates (records newer than the scores trigger a rescoring).
UNWIND range(0, size($requests) - 1) AS i
MATCH (c:Client {id: $requests[i]})
CALL (c) {
  OPTIONAL MATCH (c)-[:MANAGED_BY]->(a:Advisor)
  RETURN a.id AS advisorId LIMIT 1
}
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
CALL (c) {
  OPTIONAL MATCH (s:ScoreSet {key: c.id + '|' + $modelVersion})
  RETURN s {.asOf, .value, .uplift, .fatigue, .propensity, .exposureCorrection, .paths} AS scores
}
CALL (c) {
  OPTIONAL MATCH (c)-[:DID]->(e:Event)
  WHERE $modelVersion IS NOT NULL
  RETURN max(e.at) AS lastEventAt
}
CALL (c) {
  OPTIONAL MATCH (c)-[:WROTE]->(v:Verbatim)
  WHERE $modelVersion IS NOT NULL
  RETURN max(v.at) AS lastVerbatimAt
}
RETURN i, c {.birthYear, .segment, .riskProfile, .financiallyFragile} AS client, advisorId,
       holdings, consents, solicitations, planned, scores, lastEventAt, lastVerbatimAt
