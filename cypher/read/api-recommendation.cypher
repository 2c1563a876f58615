// One served recommendation by id.
MATCH (r:Recommendation {id: $id})
RETURN r {.*} AS rec
