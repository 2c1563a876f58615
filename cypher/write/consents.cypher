// The latest consent decision per (client, channel) wins, also across ingests: an older row never
// overwrites a newer one already in the graph. `history` keeps every decision as `at|status`, in
// the order met (each once), so that the consent in force at any past date can be read back.
UNWIND $rows AS r
MATCH (c:Client {id: r.clientId})
MATCH (ch:Channel {id: r.channelId})
MERGE (c)-[k:CONSENT]->(ch)
ON CREATE SET k.status = r.status, k.at = r.at
ON MATCH SET
  k.status = CASE WHEN k.at IS NULL OR r.at >= k.at THEN r.status ELSE k.status END,
  k.at = CASE WHEN k.at IS NULL OR r.at >= k.at THEN r.at ELSE k.at END
SET k.history = coalesce(k.history, []) + [h IN r.history WHERE NOT h IN coalesce(k.history, [])]
