// Every client with its advisor, in id order (bench/api draws the clients it asks about from it).
MATCH (c:Client)-[:MANAGED_BY]->(a:Advisor)
RETURN c.id AS clientId, a.id AS advisorId
ORDER BY clientId
