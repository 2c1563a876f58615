// Uniqueness of the Account.id key; also the index every MATCH/MERGE on it uses.
CREATE CONSTRAINT account_id IF NOT EXISTS FOR (n:Account) REQUIRE n.id IS UNIQUE
