// Deletes up to $limit nodes with their relationships; `nbg db reset` repeats it until nothing is
// left (bounded transactions instead of one huge one).
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
