// A trained model: its version, kind, feature schema, training window and metrics (JSON), and the
// folder its files are in. Re-running with the same version overwrites the same node.
MERGE (m:Model {version: $version})
SET m.kind = $kind,
    m.createdAt = $createdAt,
    m.featureSchemaVersion = $featureSchemaVersion,
    m.featureSchema = $featureSchema,
    m.windowFrom = $windowFrom,
    m.windowTo = $windowTo,
    m.trainingRows = $trainingRows,
    m.metrics = $metrics,
    m.path = $path
