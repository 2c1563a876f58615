// One client's profile, advisor and community (api client(id), access checks).
MATCH (c:Client {id: $id})
OPTIONAL MATCH (c)-[:MANAGED_BY]->(a:Advisor)
OPTIONAL MATCH (c)-[:IN_COMMUNITY]->(k:Community)
RETURN c {.*} AS client, a.id AS advisorId, k.id AS communityId
