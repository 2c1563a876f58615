// Removes communities of an earlier analysis that no client belongs to any more.
MATCH (k:Community)
WHERE NOT (k)<-[:IN_COMMUNITY]-()
DETACH DELETE k
RETURN count(*) AS deleted
