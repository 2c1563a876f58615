// State of one index (ONLINE once it is populated).
SHOW INDEXES YIELD name, state, populationPercent
WHERE name = $name
RETURN state, populationPercent
