// The models whose scores were precomputed, newest first (`nbg score` keeps the two latest).
MATCH (m:Model)
WHERE m.scoredAsOf IS NOT NULL
RETURN m.version AS version
ORDER BY version DESC
