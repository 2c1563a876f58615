// Removes topics of an earlier analysis that no verbatim mentions any more.
MATCH (t:Topic)
WHERE NOT (t)<-[:MENTIONS]-()
DETACH DELETE t
RETURN count(*) AS deleted
