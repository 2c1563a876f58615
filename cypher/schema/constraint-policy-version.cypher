// Uniqueness of the Policy.version key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT policy_version IF NOT EXISTS FOR (n:Policy) REQUIRE n.version IS UNIQUE
