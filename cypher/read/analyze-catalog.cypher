// Product and channel ids: the analysis declares them first (sorted) so that node order, and so the
// seeded embeddings, do not depend on the order the store returns relationships in.
RETURN COLLECT { MATCH (p:Product) RETURN p.id } AS products,
       COLLECT { MATCH (c:Channel) RETURN c.id } AS channels
