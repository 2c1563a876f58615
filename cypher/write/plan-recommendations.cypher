// A batch of planned contacts as :Recommendation audit records, linked to client, product, channel
// and model. MERGE on the id: writing the same plan again changes nothing. Rows whose client,
// product or channel is not in the graph are skipped; the statement returns how many were written.
UNWIND $rows AS r
MATCH (c:Client {id: r.clientId})
MATCH (p:Product {id: r.productId})
MATCH (ch:Channel {id: r.channelId})
MATCH (m:Model {version: r.modelVersion})
MERGE (rec:Recommendation {id: r.id})
SET rec += r.props
MERGE (rec)-[:FOR]->(c)
MERGE (rec)-[:OF]->(p)
MERGE (rec)-[:VIA]->(ch)
MERGE (rec)-[:BY_MODEL]->(m)
RETURN count(rec) AS written
