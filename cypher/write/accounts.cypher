// One Account per (client, account type) with its monthly series as two parallel arrays, months
// ascending. The file's series replaces the stored one.
UNWIND $rows AS r
MATCH (c:Client {id: r.clientId})
MERGE (a:Account {id: r.id})
SET a.type = r.type, a.months = r.months, a.balances = r.balances
MERGE (c)-[:HAS_ACCOUNT]->(a)
