// The recommendations of one plan with the ids they are linked to (tests and audits of a plan).
MATCH (rec:Recommendation {planId: $planId})
RETURN rec.id AS id,
       head([(rec)-[:FOR]->(c:Client) | c.id]) AS clientId,
       head([(rec)-[:OF]->(p:Product) | p.id]) AS productId,
       head([(rec)-[:VIA]->(ch:Channel) | ch.id]) AS channelId,
       head([(rec)-[:BY_MODEL]->(m:Model) | m.version]) AS modelVersion
ORDER BY id
