// Upserts products; properties are replaced by the row's (a null removes one).
UNWIND $rows AS r
MERGE (p:Product {id: r.id})
SET p += r.props
