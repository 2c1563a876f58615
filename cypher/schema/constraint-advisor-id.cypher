// Uniqueness of the Advisor.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT advisor_id IF NOT EXISTS FOR (n:Advisor) REQUIRE n.id IS UNIQUE
