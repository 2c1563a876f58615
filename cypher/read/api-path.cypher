// A shortest path of at most 6 relationships between two nodes known by their id property.
MATCH (a {id: $fromId})
MATCH (b {id: $toId})
WITH a, b LIMIT 1
MATCH path = shortestPath((a)-[*..6]-(b))
RETURN [n IN nodes(path) | {id: coalesce(n.id, n.version, elementId(n)), label: labels(n)[0]}] AS nodes,
       [r IN relationships(path) | {type: type(r), from: coalesce(startNode(r).id, startNode(r).version, elementId(startNode(r))), to: coalesce(endNode(r).id, endNode(r).version, elementId(endNode(r)))}] AS rels
LIMIT 1
