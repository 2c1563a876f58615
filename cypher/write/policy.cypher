// The contact policy, versioned by the hash of its canonical JSON; loading the same one again is a no-op.
MERGE (p:Policy {version: $version})
ON CREATE SET p.json = $json, p.createdAt = $createdAt
