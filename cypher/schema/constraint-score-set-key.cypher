// Uniqueness of the ScoreSet.key (client id | model version); also the index the API's per-request
// read of a client's precomputed scores and the batch MERGE of `nbg score` use.
CREATE CONSTRAINT score_set_key IF NOT EXISTS FOR (n:ScoreSet) REQUIRE n.key IS UNIQUE
