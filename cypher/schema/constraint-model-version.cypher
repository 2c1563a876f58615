// Uniqueness of the Model.version key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT model_version IF NOT EXISTS FOR (n:Model) REQUIRE n.version IS UNIQUE
