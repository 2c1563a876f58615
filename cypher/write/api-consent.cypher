// Sets a client's consent on a channel; the decision in force from now.
MATCH (c:Client {id: $clientId})
MATCH (ch:Channel {id: $channelId})
MERGE (c)-[k:CONSENT]->(ch)
SET k.status = $status, k.at = $at
RETURN k.status AS status, k.at AS at
