// Uniqueness of the Solicitation.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT solicitation_id IF NOT EXISTS FOR (n:Solicitation) REQUIRE n.id IS UNIQUE
