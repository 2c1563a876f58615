// Upserts the communities found by `nbg analyze` with their size and profile.
UNWIND $rows AS r
MERGE (k:Community {id: r.id})
SET k.size = r.size, k.topProducts = r.topProducts, k.topSegments = r.topSegments, k.analyzedAt = r.analyzedAt
