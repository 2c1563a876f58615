// Uniqueness of the Topic.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE
