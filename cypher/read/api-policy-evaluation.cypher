// The latest stored policy evaluation, if any.
MATCH (e:Evaluation)
RETURN e.createdAt AS createdAt, e.rows AS rows
ORDER BY e.createdAt DESC
LIMIT 1
