// Uniqueness of the Campaign.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT campaign_id IF NOT EXISTS FOR (n:Campaign) REQUIRE n.id IS UNIQUE
