// Upserts past campaigns (product and channel kept as properties, as in the graph model).
UNWIND $rows AS r
MERGE (k:Campaign {id: r.id})
SET k += r.props
