// Everything the rules need about each requested client, in one round trip for a batch of requests
// ($requests: {id, since}; each row carries `i`, the index of its request; an unknown id gives no
// row; src/db/read-batcher.ts coalesces the API's concurrent reads into such batches):
// profile, advisor (access check), holdings, consents (the latest decision and the history of
// decisions, so that the one in force at any date is known), the solicitations that can matter
// (sent or answered on or after `since`, the start of the contact pressure window and of the planned
// contacts' window; every refusal, for the cooldown; those sent or answered on or after the
// client's scores, which then need rescoring) with channel, product and outcome, the accepted
// recommendations not yet sent (PLANNED_FOR: planned contacts), and, for a trained model
// ($modelVersion; null for none), the client's precomputed scores (`nbg score`, with the
// explanation paths of the products it could be served) and the latest journey event and verbatim
// dates (records newer than the scores trigger a rescoring). The client's relationships are expanded
// twice (outgoing, incoming), each over all the types wanted at once: one walk of its relationship
// groups each, not one per type.
UNWIND range(0, size($requests) - 1) AS i
WITH i, $requests[i] AS q
MATCH (c:Client {id: q.id})
OPTIONAL MATCH (sc:ScoreSet {key: c.id + '|' + $modelVersion})
CALL (c) {
  OPTIONAL MATCH (c)-[r:MANAGED_BY|HOLDS|CONSENT|DID|WROTE]->(x)
  WITH type(r) AS t, r, x
  WHERE t IS NULL OR $modelVersion IS NOT NULL OR NOT t IN ['DID', 'WROTE']
  RETURN head(collect(CASE WHEN t = 'MANAGED_BY' AND x:Advisor THEN x.id END)) AS advisorId,
         collect(CASE WHEN t = 'HOLDS' AND x:Product
                 THEN {productId: x.id, openedAt: r.openedAt, closedAt: r.closedAt} END) AS holdings,
         collect(CASE WHEN t = 'CONSENT' AND x:Channel
                 THEN {channel: x.id, status: r.status, at: r.at, history: r.history} END) AS consents,
         max(CASE WHEN t = 'DID' AND x:Event THEN x.at END) AS lastEventAt,
         max(CASE WHEN t = 'WROTE' AND x:Verbatim THEN x.at END) AS lastVerbatimAt
}
CALL (c, q, sc) {
  OPTIONAL MATCH (c)<-[r:TARGETED|PLANNED_FOR]-(x)
  WITH type(r) AS t, x
  WHERE t = 'PLANNED_FOR' AND x:Recommendation
     OR t = 'TARGETED' AND x:Solicitation
        AND (x.sentAt >= q.since OR x.outcomeAt >= q.since OR x.outcome = 'refused'
             OR x.sentAt >= sc.asOf OR x.outcomeAt >= sc.asOf)
  CALL (t, x) {
    OPTIONAL MATCH (x)-[:VIA]->(ch:Channel)
    WHERE t = 'TARGETED'
    OPTIONAL MATCH (x)-[:OFFERED]->(p:Product)
    WHERE t = 'TARGETED'
    RETURN ch.id AS channel, p.id AS productId
  }
  RETURN collect(CASE t WHEN 'TARGETED' THEN {channel: channel, productId: productId, sentAt: x.sentAt,
                                               outcome: x.outcome, outcomeAt: x.outcomeAt} END) AS solicitations,
         collect(CASE t WHEN 'PLANNED_FOR' THEN {channel: x.channel, productId: x.productId,
                                                 decidedAt: x.decidedAt} END) AS planned
}
RETURN i, c {.birthYear, .segment, .riskProfile, .financiallyFragile} AS client, advisorId,
       holdings, consents, solicitations, planned,
       sc {.asOf, .value, .uplift, .fatigue, .propensity, .exposureCorrection, .paths} AS scores,
       lastEventAt, lastVerbatimAt
