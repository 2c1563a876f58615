// Paths of 1 to $depth (<= 2) relationships around a client, at most $limit of them.
MATCH path = (c:Client {id: $id})-[*1..2]-(n)
WHERE length(path) <= $depth
WITH path LIMIT $limit
RETURN [n IN nodes(path) | {id: coalesce(n.id, n.version, elementId(n)), label: labels(n)[0]}] AS nodes,
       [r IN relationships(path) | {type: type(r), from: coalesce(startNode(r).id, startNode(r).version, elementId(startNode(r))), to: coalesce(endNode(r).id, endNode(r).version, elementId(endNode(r)))}] AS rels
