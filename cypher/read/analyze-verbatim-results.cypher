// What `nbg analyze` wrote for each verbatim, in id order: sentiment, embedding, topic(s), and the
// products and channels it linked from the text.
MATCH (v:Verbatim)
RETURN v.id AS id, v.sentiment AS sentiment, v.sentimentMixed AS mixed, v.sentimentMethod AS method,
       v.embedding AS embedding, [(v)-[:MENTIONS]->(t:Topic) | t.id] AS topics,
       [(v)-[a:ABOUT]->(n) WHERE a.from = 'text' | n.id] AS aboutFromText
ORDER BY id
