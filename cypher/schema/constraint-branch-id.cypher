// Uniqueness of the Branch.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT branch_id IF NOT EXISTS FOR (n:Branch) REQUIRE n.id IS UNIQUE
