// A community, its size and up to $limit member ids.
MATCH (k:Community {id: $id})
OPTIONAL MATCH (c:Client)-[:IN_COMMUNITY]->(k)
WITH k, c ORDER BY c.id
RETURN k.id AS id, count(c) AS size, collect(c.id)[0..$limit] AS members
