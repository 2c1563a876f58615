// Deletes up to $limit relationships. `nbg db reset` removes relationships first, so that deleting a
// dense node (a product linked to every client) never needs one huge transaction.
MATCH ()-[r]->()
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
