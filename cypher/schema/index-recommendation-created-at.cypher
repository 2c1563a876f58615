// The audit trail reads recommendations by creation time.
CREATE INDEX recommendation_created_at IF NOT EXISTS FOR (n:Recommendation) ON (n.createdAt)
