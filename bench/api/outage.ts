import type { EmbeddedInstance } from '../../src/db/embedded/start.js';
import { query } from '../../src/db/queries.js';
import { stopwatch } from '../../src/stopwatch.js';
import { benchDb } from '../lib/neo4j.js';
import type { Figures } from '../lib/report.js';
import { type Caller, codesText, drive, type LoadResult, type LoadSettings, untilServing } from './load.js';
import type { ApiChild } from './server.js';

const writtenMutations = query('read/api-written-mutations');

interface Mutation {
  readonly kind: 'outcome' | 'acknowledge';
  readonly id: string;
  readonly decision?: string;
  result: 'done' | 'refused' | 'no-answer';
  code?: string;
}

/** Sends one GraphQL mutation; classifies the answer (done, refused with an error code, or none). */
async function mutate(url: string, token: string, body: string, m: Mutation): Promise<void> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const j = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    if (j.errors && j.errors.length > 0) {
      m.result = 'refused';
      m.code = j.errors[0]?.extensions?.code ?? `HTTP_${res.status}`;
    } else m.result = 'done';
  } catch {
    m.result = 'no-answer';
  }
}

/**
 * Four workers sending, until `stop()`, solicitation outcomes (new ids) and acknowledgements of the
 * served recommendations in `recIds`, one every 20 ms each; `mutations` lists every one sent.
 */
function mutationWorkers(
  url: string,
  who: readonly Caller[],
  recIds: { id: string; token: string }[],
): { mutations: Mutation[]; stop(): Promise<void> } {
  const mutations: Mutation[] = [];
  let stopMutations = false;
  const products = ['P_LIVRET_A', 'P_HOME_INSURANCE', 'P_PEA'];
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; !stopMutations; n++) {
      const caller = who[(w * 7919 + n) % who.length]!;
      if (n % 2 === 0) {
        const m: Mutation = { kind: 'outcome', id: `bench-sol-${Date.now()}-${w}-${n}`, result: 'no-answer' };
        mutations.push(m);
        const body = JSON.stringify({
          query: `mutation($i: SolicitationOutcomeInput!) { recordSolicitationOutcome(input: $i) { id } }`,
          variables: {
            i: {
              id: m.id,
              clientId: caller.clientId,
              productId: products[n % 3],
              channel: 'email',
              outcome: 'opened',
            },
          },
        });
        await mutate(url, caller.token, body, m);
      } else {
        const rec = recIds.pop();
        if (rec === undefined) continue;
        const decision = n % 4 === 1 ? 'accepted' : 'declined';
        const m: Mutation = { kind: 'acknowledge', id: rec.id, decision, result: 'no-answer' };
        mutations.push(m);
        const body = JSON.stringify({
          query: `mutation($id: ID!) { acknowledgeRecommendation(id: $id, decision: ${decision}) { id decision } }`,
          variables: { id: rec.id },
        });
        await mutate(url, rec.token, body, m);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const workers = [0, 1, 2, 3].map(worker);
  return {
    mutations,
    stop: async () => {
      stopMutations = true;
      await Promise.all(workers);
    },
  };
}

/** The mutations found in the graph, those answered done but missing, and those unanswered and missing. */
async function writtenCounts(
  uri: string,
  password: string,
  mutations: readonly Mutation[],
): Promise<{ written: number; lost: number; unansweredLost: number }> {
  const db = await benchDb(uri, password);
  let lost = 0;
  let unansweredLost = 0;
  let written = 0;
  try {
    const [row] = await db.read<{ solicitations: string[]; decided: string[] }>(writtenMutations, {
      solicitationIds: mutations.filter((m) => m.kind === 'outcome').map((m) => m.id),
      decisions: mutations
        .filter((m) => m.kind === 'acknowledge')
        .map((m) => ({ id: m.id, decision: m.decision })),
    });
    const found = new Set([...(row?.solicitations ?? []), ...(row?.decided ?? [])]);
    for (const m of mutations) {
      if (found.has(m.id)) written++;
      else if (m.result === 'done') lost++;
      else if (m.result === 'no-answer') unansweredLost++;
    }
  } finally {
    await db.close();
  }
  return { written, lost, unansweredLost };
}

/** The bench's Neo4j, which the outage stops and starts again on the same port and store. */
export interface OutageNeo4j {
  current: EmbeddedInstance;
  readonly password: string;
  restart(): Promise<EmbeddedInstance>;
}

/**
 * Load and mutations while Neo4j is stopped and started again on the same port and store. Counts
 * the recommendation answers while it is down, the seconds from its restart to the first good
 * answer, and the mutations answered 'done' (or not answered) that the graph does not have.
 */
export async function outage(
  neo4j: OutageNeo4j,
  api: ApiChild,
  who: readonly Caller[],
  admin: string,
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<{ figures: Figures; notes: string[] }> {
  const recIds: { id: string; token: string }[] = [];
  // a pool of served recommendations to acknowledge
  await drive(api.url, who.slice(0, 200), 5, settings, (body) => {
    for (const m of body.matchAll(/"id":"(rec-[0-9a-f-]+)"/g))
      if (recIds.length < 5000) recIds.push({ id: m[1]!, token: admin });
  });
  const workers = mutationWorkers(api.url, who, recIds);
  const total = stopwatch();
  const phases: { name: string; result: Promise<LoadResult> }[] = [];
  phases.push({ name: 'before (10 s)', result: drive(api.url, who, 10, settings) });
  await phases[0]!.result;
  log('stopping Neo4j');
  const stoppedAt = Date.now();
  await neo4j.current.stop();
  phases.push({ name: 'Neo4j down (15 s)', result: drive(api.url, who, 15, settings) });
  const down = await phases[1]!.result;
  log('starting Neo4j again');
  const restarting = Date.now();
  neo4j.current = await neo4j.restart();
  const readyAt = Date.now();
  log(
    `Neo4j back after ${((readyAt - stoppedAt) / 1000).toFixed(1)} s down (start ${((readyAt - restarting) / 1000).toFixed(1)} s)`,
  );
  // the first good answer after the restart
  const recoveredAt = await untilServing(api.url, who);
  await new Promise((r) => setTimeout(r, 10_000));
  await workers.stop();
  const after = await drive(api.url, who, 10, settings);
  const seconds = total.seconds();
  // let the server write what it queued, then look for every mutation in the graph
  await new Promise((r) => setTimeout(r, 3_000));
  const { mutations } = workers;
  const { written, lost, unansweredLost } = await writtenCounts(neo4j.current.uri, neo4j.password, mutations);
  const refused = mutations.filter((m) => m.result === 'refused').length;
  const unanswered = mutations.filter((m) => m.result === 'no-answer').length;
  const refusedCodes = new Map<string, number>();
  for (const m of mutations) if (m.code) refusedCodes.set(m.code, (refusedCodes.get(m.code) ?? 0) + 1);
  const figures: Figures = {
    outageSeconds: seconds,
    outageDownRequests: down.requests,
    outageDownServiceUnavailable: down.codes.get('SERVICE_UNAVAILABLE') ?? 0,
    outageDownOtherAnswers: down.requests - (down.codes.get('SERVICE_UNAVAILABLE') ?? 0),
    outageDownP99Ms: down.p99,
    outageRecoverySeconds: (recoveredAt - readyAt) / 1000,
    outageAfterErrors: after.errors,
    outageMutations: mutations.length,
    outageMutationsWritten: written,
    outageMutationsRefused: refused,
    outageMutationsUnanswered: unanswered,
    outageLostWrites: lost,
    outageUnansweredNotWritten: unansweredLost,
  };
  const notes = [
    `While Neo4j was down: ${down.requests} recommendation answers in 15 s (${codesText(down.codes)}), p99 ${down.p99.toFixed(0)} ms. ` +
      `First good answer ${((recoveredAt - readyAt) / 1000).toFixed(1)} s after Neo4j was ready again (no API restart); errors in the 10 s after: ${codesText(after.codes)}.`,
    `Mutations during the test: ${mutations.length} (${mutations.filter((m) => m.kind === 'outcome').length} outcomes, ${mutations.filter((m) => m.kind === 'acknowledge').length} acknowledgements): ` +
      `${written} found in the graph, ${refused} refused with an error (${codesText(refusedCodes)}), ${unanswered} unanswered (no answer within the client's 15 s); answered done but not in the graph (lost silently): ${lost}; unanswered and not in the graph: ${unansweredLost}.`,
  ];
  return { figures, notes };
}
