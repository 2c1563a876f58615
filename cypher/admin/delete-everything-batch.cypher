// Deletes up to $limit nodes (with any relationship left); `nbg db reset` repeats it until nothing
// is left.
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
