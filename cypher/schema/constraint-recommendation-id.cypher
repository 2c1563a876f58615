// Uniqueness of the Recommendation.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT recommendation_id IF NOT EXISTS FOR (n:Recommendation) REQUIRE n.id IS UNIQUE
