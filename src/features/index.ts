export { buildDecisionRows, type DecisionPairs } from './build-decision-rows.js';
export {
  buildTrainingExamples,
  TRAINING_DEFAULTS,
  type TrainingExamplesOptions,
} from './build-training-examples.js';
export { consentAllows, productAllowed } from './contactable.js';
export { type DecisionRhythm, decisionRhythm } from './decision-rhythm.js';
export type { FeatureSchema, UpliftExamples } from './examples.js';
export { FEATURE_SCHEMA_VERSION, featureSchema } from './feature-schema.js';
export { FOLDER_HISTORY_DEFAULTS, type FolderHistoryOptions, loadFolderHistory } from './folder-history.js';
export { folderSource } from './folder-source.js';
export { NEO4J_SOURCE_DEFAULTS, type Neo4jSourceOptions, neo4jSource } from './neo4j-source.js';
export { type FeatureHistory, loadHistory } from './record-store.js';
export type { FeatureCatalog, FeatureSource, RecordSink } from './records.js';
export { writeExamplesCsv } from './write-examples-csv.js';
