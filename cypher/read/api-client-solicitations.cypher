// A client's latest solicitations, newest first (contact pressure and cooldown).
MATCH (s:Solicitation)-[:TARGETED]->(:Client {id: $id})
MATCH (s)-[:OFFERED]->(p:Product)
MATCH (s)-[:VIA]->(ch:Channel)
RETURN s.id AS id, p.id AS productId, ch.id AS channel, s.sentAt AS sentAt, s.outcome AS outcome, s.outcomeAt AS outcomeAt
ORDER BY s.sentAt DESC
LIMIT $limit
