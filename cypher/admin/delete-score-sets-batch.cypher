// Up to $limit precomputed ScoreSets of models other than $keep (older `nbg score` runs); run until
// it deletes nothing.
MATCH (s:ScoreSet)
WHERE NOT s.modelVersion IN $keep
WITH s LIMIT $limit
DELETE s
RETURN count(*) AS deleted
