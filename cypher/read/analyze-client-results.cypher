// Each client's community and the ids of its SIMILAR_TO neighbours, best first (tests and reports).
MATCH (c:Client)
OPTIONAL MATCH (c)-[s:SIMILAR_TO]->(o:Client)
WITH c, s, o
ORDER BY c.id, s.score DESC, o.id
RETURN c.id AS id, c.community AS community, size(c.embedding) AS dimensions,
       collect(o.id) AS similar, head([(c)-[:IN_COMMUNITY]->(k:Community) | k.id]) AS linkedCommunity
ORDER BY id
