// A shortest path of at most 6 relationships between two nodes known by their id. Ids are unique
// per label, so each end is looked up label by label through the unique-id indexes (never a scan
// of every node); $fromLabel / $toLabel (or null) restrict the labels. Returns the labels found for
// each id (an aggregate per end, so an unknown id still gives one row), and the path when both ids
// name exactly one node.
CALL () {
  CALL () {
      MATCH (a:Account {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Account' RETURN a
      UNION
      MATCH (a:Advisor {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Advisor' RETURN a
      UNION
      MATCH (a:Branch {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Branch' RETURN a
      UNION
      MATCH (a:Campaign {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Campaign' RETURN a
      UNION
      MATCH (a:Channel {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Channel' RETURN a
      UNION
      MATCH (a:Client {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Client' RETURN a
      UNION
      MATCH (a:Community {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Community' RETURN a
      UNION
      MATCH (a:Event {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Event' RETURN a
      UNION
      MATCH (a:Product {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Product' RETURN a
      UNION
      MATCH (a:Recommendation {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Recommendation' RETURN a
      UNION
      MATCH (a:Solicitation {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Solicitation' RETURN a
      UNION
      MATCH (a:Topic {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Topic' RETURN a
      UNION
      MATCH (a:Verbatim {id: $fromId}) WHERE $fromLabel IS NULL OR $fromLabel = 'Verbatim' RETURN a
  }
  RETURN collect(a) AS froms
}
CALL () {
  CALL () {
      MATCH (b:Account {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Account' RETURN b
      UNION
      MATCH (b:Advisor {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Advisor' RETURN b
      UNION
      MATCH (b:Branch {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Branch' RETURN b
      UNION
      MATCH (b:Campaign {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Campaign' RETURN b
      UNION
      MATCH (b:Channel {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Channel' RETURN b
      UNION
      MATCH (b:Client {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Client' RETURN b
      UNION
      MATCH (b:Community {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Community' RETURN b
      UNION
      MATCH (b:Event {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Event' RETURN b
      UNION
      MATCH (b:Product {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Product' RETURN b
      UNION
      MATCH (b:Recommendation {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Recommendation' RETURN b
      UNION
      MATCH (b:Solicitation {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Solicitation' RETURN b
      UNION
      MATCH (b:Topic {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Topic' RETURN b
      UNION
      MATCH (b:Verbatim {id: $toId}) WHERE $toLabel IS NULL OR $toLabel = 'Verbatim' RETURN b
  }
  RETURN collect(b) AS tos
}
WITH froms, tos, CASE WHEN size(froms) = 1 AND size(tos) = 1 THEN froms[0] END AS a,
     CASE WHEN size(froms) = 1 AND size(tos) = 1 THEN tos[0] END AS b
OPTIONAL MATCH path = shortestPath((a)-[*..6]-(b))
WHERE a <> b
RETURN [n IN froms | labels(n)[0]] AS fromLabels, [n IN tos | labels(n)[0]] AS toLabels,
       CASE WHEN path IS NULL THEN null ELSE [n IN nodes(path) | {id: coalesce(n.id, n.version, elementId(n)), label: labels(n)[0]}] END AS nodes,
       CASE WHEN path IS NULL THEN null ELSE [r IN relationships(path) | {type: type(r), from: coalesce(startNode(r).id, startNode(r).version, elementId(startNode(r))), to: coalesce(endNode(r).id, endNode(r).version, elementId(endNode(r)))}] END AS rels
