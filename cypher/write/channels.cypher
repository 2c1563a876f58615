// Upserts channels.
UNWIND $rows AS r
MERGE (c:Channel {id: r.id})
SET c += r.props
