// The first clients in id order, for `nbg serve --example-client auto` to find one worth contacting.
MATCH (c:Client)
RETURN c.id AS clientId
ORDER BY clientId
LIMIT $limit
