import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticValueSource } from '../../src/allocate/stand-ins/synthetic-value-source.js';
import { signToken } from '../../src/api/auth.js';
import { createApiServer } from '../../src/api/server.js';
import { loadTrainedValueSource } from '../../src/api/trained-value-source.js';
import { chooseValueSource } from '../../src/api/value-source-choice.js';
import type { Db } from '../../src/db/executor.js';
import type { ChannelInfo, ProductInfo } from '../../src/domain/catalog.js';
import type { ClientState } from '../../src/domain/client-state.js';
import type { ChannelId, ClientId, ProductId } from '../../src/domain/ids.js';
import { buildDecisionRows, loadHistory, neo4jSource } from '../../src/features/index.js';
import { loadOutcomeModel } from '../../src/models/suite/load-model.js';
import { readSuiteManifest } from '../../src/models/suite/model-store.js';
import { actionValues } from '../../src/models/value/action-value.js';
import { freshDb, smallTrainedWorld } from './helpers.js';

const SECRET = 'test-secret-0123456789abcdef0123456789';
// the day after the world's latest record (nbg train's default): no client has a newer record
let AS_OF: string;
let NOW: Date;

let db: Db;
let work: string;
let suiteDir: string;
let version: string;

beforeAll(async () => {
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-api-trained-'));
  const r = await smallTrainedWorld(db, work);
  suiteDir = r.dir;
  version = r.manifest.version;
  AS_OF = r.asOf;
  NOW = new Date(`${AS_OF}T09:00:00Z`);
}, 600_000);
afterAll(async () => {
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Served {
  clientId: string;
  productId: string | null;
  channel: string | null;
  action: string;
  modelVersion: string;
  scores: { value: number; uplift: number; margin: number; cost: number; fatigue: number };
}

describe('nbg serve with a trained model (loadTrainedValueSource)', () => {
  // no `nbg score` here: every client is scored live, at decisionDate
  it('serves values that are the trained model action values, not the stand-in', async () => {
    const values = await loadTrainedValueSource(suiteDir, db, { decisionDate: AS_OF });
    expect([values.name, values.modelVersion]).toEqual(['model:uplift-t-learner', version]);
    const server = createApiServer({
      db,
      logger: pino({ level: 'silent' }),
      secret: SECRET,
      values,
      modelKind: 'trained',
      now: () => new Date(NOW),
    });
    const { url, close } = await server.listen(0, '127.0.0.1');
    try {
      const clientId = await server.exampleClient();
      expect(clientId).toBeDefined();
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await signToken(SECRET, 'admin')}`,
        },
        body: JSON.stringify({
          query: `{ recommendations(clientId: "${clientId}", limit: 3) { clientId productId channel action modelVersion scores { value uplift margin cost fatigue } } }`,
        }),
      });
      const body = (await res.json()) as { data?: { recommendations: Served[] }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      const served = body.data!.recommendations.filter((r) => r.action === 'contact');
      expect(served.length).toBeGreaterThan(0);

      // the same model, on decision rows built independently from the graph at the same date
      const model = await loadOutcomeModel(join(suiteDir, readSuiteManifest(suiteDir).primary));
      const rows = await buildDecisionRows(await loadHistory(neo4jSource(db)), AS_OF);
      const av = await actionValues(model, rows);
      const C = rows.channelIds.length;
      const standIn = new SyntheticValueSource();
      for (const r of served) {
        expect(r.modelVersion).toBe(version);
        let i = 0;
        while (
          i < rows.n &&
          !(
            rows.clientIds[rows.client[i]!] === r.clientId &&
            rows.productIds[rows.product[i]!] === r.productId
          )
        )
          i++;
        expect(i, `decision row of ${r.clientId} × ${r.productId}`).toBeLessThan(rows.n);
        const k = i * C + rows.channelIds.indexOf(r.channel!);
        expect(r.scores.value).toBeCloseTo(av.value[k]!, 9);
        expect(r.scores.uplift).toBeCloseTo(av.uplift[k]!, 9);
        expect(r.scores.fatigue).toBeCloseTo(av.fatigue[k]!, 9);
        expect(r.scores.value).toBeGreaterThan(0);

        const one = new Float64Array(1);
        const product = { id: r.productId as ProductId, unitValue: r.scores.margin } as ProductInfo;
        const channel = { id: r.channel as ChannelId, costPerContact: r.scores.cost } as ChannelInfo;
        const state = { id: r.clientId as ClientId, segment: 'mass' } as ClientState;
        standIn.score([state], [product], [channel], one);
        expect(r.scores.value).not.toBeCloseTo(one[0]!, 6);
      }
    } finally {
      await close();
    }
  }, 300_000);

  it('refuses a --model folder that is missing, empty or corrupt, with the documented error', async () => {
    const load = (dir: string) => loadTrainedValueSource(dir, db, { decisionDate: AS_OF });
    const dataDir = join(work, 'unused');
    await expect(chooseValueSource({ modelDir: join(work, 'nope'), dataDir, load })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      message: expect.stringMatching(/--model: .*nope does not exist/),
    });
    const empty = join(work, 'empty-suite');
    mkdirSync(empty);
    await expect(chooseValueSource({ modelDir: empty, dataDir, load })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('suite.json is missing'),
    });
    const corrupt = join(work, 'corrupt-suite');
    cpSync(suiteDir, corrupt, { recursive: true });
    writeFileSync(join(corrupt, 'suite.json'), '{"primary": "upl');
    await expect(chooseValueSource({ modelDir: corrupt, dataDir, load })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('suite.json: not valid JSON'),
    });
  });

  it('falls back to the stand-in with a warning when the latest suite under DATA_DIR does not load', async () => {
    const dataDir = join(work, 'data-corrupt');
    const latest = join(dataDir, 'models', basename(suiteDir));
    cpSync(suiteDir, latest, { recursive: true });
    const primary = readSuiteManifest(latest).primary;
    writeFileSync(join(latest, primary, 'model.json'), 'not json');
    const choice = await chooseValueSource({
      dataDir,
      load: (dir) => loadTrainedValueSource(dir, db, { decisionDate: AS_OF }),
    });
    expect([choice.modelKind, choice.values.name, choice.values.modelVersion]).toEqual([
      'stand-in',
      'synthetic',
      'synthetic-1',
    ]);
    expect(choice.warning).toContain(`the latest trained model ${latest} does not load (`);
    expect(choice.warning).toContain('recommendations use stand-in values');
  });
});
