// The model a recommendation came from; created on first use with its kind (trained or stand-in).
MERGE (m:Model {version: $version})
ON CREATE SET m.kind = $kind, m.createdAt = $createdAt
