// Uniqueness of the Event.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE
