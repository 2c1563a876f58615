import { join } from 'node:path';
import type { ActionValueSource } from '../allocate/value-sources/action-value-source.js';
import { ModelValueSource } from '../allocate/value-sources/model-value-source.js';
import type { Db } from '../db/executor.js';
import { buildDecisionRows } from '../features/build-decision-rows.js';
import { neo4jSource } from '../features/neo4j-source.js';
import { loadHistory } from '../features/record-store.js';
import { loadOutcomeModel } from '../models/suite/load-model.js';
import { readSuiteManifest } from '../models/suite/model-store.js';

export interface TrainedValueSourceOptions {
  /** Decision date of the features, YYYY-MM-DD (default: today, UTC). */
  readonly decisionDate?: string;
}

/**
 * The primary model of a suite folder written by `nbg train` as the API's ActionValueSource:
 * ModelValueSource.live, whose decision rows (src/features) are built on first use per client from
 * the graph's records, read once when the server starts (neo4jSource → loadHistory) and dated
 * `decisionDate`: a start-up snapshot, while the rules read the live state (docs/api.md, "Features:
 * a start-up snapshot; rules: live"). Scored clients stay cached (P × C × 5 doubles each). The
 * suite's classic per-product propensity model, when it has one, gives the score decomposition's
 * `propensity` and `exposureCorrection` (the debiased probability over it).
 */
export async function loadTrainedValueSource(
  dir: string,
  db: Db,
  options: TrainedValueSourceOptions = {},
): Promise<ActionValueSource> {
  const manifest = readSuiteManifest(dir);
  const model = await loadOutcomeModel(join(dir, manifest.primary));
  const classicDir = manifest.models['classic-propensity'];
  const classic = classicDir === undefined ? undefined : await loadOutcomeModel(join(dir, classicDir));
  const history = await loadHistory(neo4jSource(db));
  const decisionDate = options.decisionDate ?? new Date().toISOString().slice(0, 10);
  const known = new Set(history.clientIds);
  const productIds = history.catalog.products.map((p) => p.id);
  const P = productIds.length;
  return ModelValueSource.live(model, {
    modelVersion: manifest.version,
    ...(classic === undefined ? {} : { classic }),
    rowsFor: async (ids) => {
      const clientIds = ids.filter((id) => known.has(id));
      const client = new Int32Array(clientIds.length * P);
      const product = new Int32Array(clientIds.length * P);
      for (let k = 0; k < clientIds.length; k++)
        for (let p = 0; p < P; p++) {
          client[k * P + p] = k;
          product[k * P + p] = p;
        }
      return buildDecisionRows(history, decisionDate, { clientIds, productIds, client, product });
    },
  });
}
