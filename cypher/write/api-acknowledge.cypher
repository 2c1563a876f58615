// The advisor's decision on a served recommendation, logged with the propensity it was shown with.
MATCH (r:Recommendation {id: $id})
SET r.decision = $decision, r.decidedAt = $at, r.decidedBy = $by, r.loggingPropensity = r.shownPropensity
RETURN r {.*} AS rec
