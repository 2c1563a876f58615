// Recommendations served to a client between two instants (ISO-8601 strings), newest first.
MATCH (r:Recommendation {kind: 'api'})-[:FOR]->(:Client {id: $clientId})
WHERE r.servedAt >= $from AND r.servedAt <= $to
RETURN r {.*} AS rec
ORDER BY r.servedAt DESC, r.rank
LIMIT $limit
