// Advisors and the branch each works at (one row per distinct advisor of clients.csv).
UNWIND $rows AS r
MERGE (b:Branch {id: r.branchId})
MERGE (a:Advisor {id: r.id})
MERGE (a)-[:WORKS_AT]->(b)
