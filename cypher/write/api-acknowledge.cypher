// The advisor's decision on a served recommendation, logged with the propensity it was shown with.
// An accepted contact becomes a planned contact of its client (PLANNED_FOR, counted by the contact
// pressure rule until the solicitation is recorded); a later decline takes it back.
MATCH (r:Recommendation {id: $id})
SET r.decision = $decision, r.decidedAt = $at, r.decidedBy = $by, r.loggingPropensity = r.shownPropensity
WITH r
OPTIONAL MATCH (r)-[old:PLANNED_FOR]->(:Client)
DELETE old
WITH DISTINCT r
OPTIONAL MATCH (r)-[:FOR]->(c:Client)
FOREACH (_ IN CASE WHEN $decision = 'accepted' AND r.action = 'contact' AND c IS NOT NULL THEN [1] ELSE [] END |
  MERGE (r)-[:PLANNED_FOR]->(c))
RETURN r {.*} AS rec
