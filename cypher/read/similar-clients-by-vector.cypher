// The k clients nearest to one client by the vector index on embeddings (the client itself excluded).
MATCH (c:Client {id: $clientId})
CALL db.index.vector.queryNodes('client_embedding', $k + 1, c.embedding) YIELD node, score
WITH node, score
WHERE node.id <> $clientId
RETURN node.id AS id, score
ORDER BY score DESC
LIMIT $k
