// Uniqueness of the Channel.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT channel_id IF NOT EXISTS FOR (n:Channel) REQUIRE n.id IS UNIQUE
