// Analysts filter clients by segment.
CREATE INDEX client_segment IF NOT EXISTS FOR (n:Client) ON (n.segment)
