// The topics `nbg analyze` wrote, in id order (tests and reports).
MATCH (t:Topic)
RETURN t.id AS id, t.name AS name, t.terms AS terms, t.size AS size, t.negativeShare AS negativeShare,
       t.products AS products, t.channels AS channels
ORDER BY id
