// The topics `nbg analyze` wrote, in id order (tests and reports).
MATCH (t:Topic)
RETURN t.id AS id, t.name AS name, t.terms AS terms, t.size AS size, t.negativeShare AS negativeShare
ORDER BY id
