// Uniqueness of the Client.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT client_id IF NOT EXISTS FOR (n:Client) REQUIRE n.id IS UNIQUE
