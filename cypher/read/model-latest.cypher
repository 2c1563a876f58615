// The most recently trained model (stand-ins created by recommendations have no featureSchemaVersion).
MATCH (m:Model)
WHERE m.featureSchemaVersion IS NOT NULL
RETURN m.version AS version, m.kind AS kind, m.createdAt AS createdAt, m.path AS path,
       m.featureSchemaVersion AS featureSchemaVersion, m.windowFrom AS windowFrom, m.windowTo AS windowTo,
       m.trainingRows AS trainingRows, m.metrics AS metrics
ORDER BY m.createdAt DESC
LIMIT 1
