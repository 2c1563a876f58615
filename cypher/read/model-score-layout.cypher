// Whether a model's scores were precomputed, at which date, and the product and channel order of
// its ScoreSet lists (read once when the API starts).
MATCH (m:Model {version: $version})
RETURN m.scoredAsOf AS asOf, m.scoreProducts AS products, m.scoreChannels AS channels,
       m.scoredClients AS clients
