// The latest stored policy evaluation, if any.
MATCH (e:Evaluation)
RETURN e {.*} AS evaluation
ORDER BY e.createdAt DESC
LIMIT 1
