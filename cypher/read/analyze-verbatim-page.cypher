// One page of verbatims (keyset pagination on the unique id index): the text, the client's score,
// and the product and channel it is about, when known.
MATCH (v:Verbatim)
WHERE v.id > $after
WITH v
ORDER BY v.id
LIMIT $limit
RETURN v.id AS id, v.text AS text, v.score AS score,
       head([(v)-[:ABOUT]->(p:Product) | p.id]) AS productId,
       head([(v)-[:ABOUT]->(c:Channel) | c.id]) AS channelId
