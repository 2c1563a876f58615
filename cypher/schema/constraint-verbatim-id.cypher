// Uniqueness of the Verbatim.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT verbatim_id IF NOT EXISTS FOR (n:Verbatim) REQUIRE n.id IS UNIQUE
