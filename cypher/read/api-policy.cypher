// The contact policy stored by the latest ingest (canonical JSON), if any.
MATCH (p:Policy)
RETURN p.json AS json, p.version AS version
ORDER BY p.createdAt DESC
LIMIT 1
