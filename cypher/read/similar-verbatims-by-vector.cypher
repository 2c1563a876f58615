// The k verbatims nearest to one verbatim by the vector index on E5 embeddings (itself excluded).
MATCH (v:Verbatim {id: $verbatimId})
CALL db.index.vector.queryNodes('verbatim_embedding', $k + 1, v.embedding) YIELD node, score
WITH node, score
WHERE node.id <> $verbatimId
RETURN node.id AS id, score
ORDER BY score DESC
LIMIT $k
