// Records on the model that every client's scores were precomputed (`nbg score`): the decision date,
// when, how many clients, and the product and channel order of the ScoreSet lists.
MERGE (m:Model {version: $version})
SET m.scoredAsOf = $asOf,
    m.scoredAt = $scoredAt,
    m.scoredClients = $clients,
    m.scoreProducts = $products,
    m.scoreChannels = $channels
