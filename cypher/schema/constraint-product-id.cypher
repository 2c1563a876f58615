// Uniqueness of the Product.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:Product) REQUIRE n.id IS UNIQUE
