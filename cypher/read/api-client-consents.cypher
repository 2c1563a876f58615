// The consent decisions recorded for a client, per channel.
MATCH (:Client {id: $id})-[k:CONSENT]->(ch:Channel)
RETURN ch.id AS channel, k.status AS status, k.at AS at
