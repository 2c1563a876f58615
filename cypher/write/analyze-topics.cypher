// Topics of the verbatims: one node per cluster, named by its top class-based TF-IDF terms, with
// the products and channels its verbatims are most about.
UNWIND $rows AS r
MERGE (t:Topic {id: r.id})
SET t.name = r.name, t.terms = r.terms, t.size = r.size, t.negativeShare = r.negativeShare,
    t.products = r.products, t.channels = r.channels, t.analyzedAt = r.analyzedAt
