// Uniqueness of the Community.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT community_id IF NOT EXISTS FOR (n:Community) REQUIRE n.id IS UNIQUE
