import { analyze } from '../../analyze/index.js';
import { loadConfig } from '../../config.js';
import { withConnection } from '../../db/connect.js';
import { boolFlag, intFlag, numberFlag } from '../args.js';
import type { Command } from '../command.js';
import { type Progress, progress } from '../progress.js';

const usage = `nbg analyze [--dimensions 128] [--k 20] [--resolution 0.5] [--seed 42] [--no-text]

Reads the client projection from the graph (profile, holdings, journeys, solicitations), computes
FastRP node embeddings, each client's k most similar clients and communities, and writes them back:
Client.embedding and Client.community, (:Community) nodes, IN_COMMUNITY, SIMILAR_TO {score}, and a
vector index on client embeddings (128 dimensions). Then the text phase: each verbatim's E5
embedding (local model, see docs/text.md), sentiment and topic: Verbatim.embedding,
Verbatim.sentiment, (:Topic) nodes named by their top terms, MENTIONS, and a vector index on
verbatim embeddings (384 dimensions). Re-running replaces the previous analysis.

  --dimensions N   embedding dimension (default 128; the vector index needs 128)
  --k N            similar clients kept per client (default 20)
  --resolution X   Louvain resolution on the client kNN graph (default 0.5; higher: more, smaller communities)
  --seed N         random seed (default 42): same graph, same seed, same result
  --no-text        skip the text phase (verbatims)`;

const PHASES: Readonly<Record<string, { label: string; unit: string }>> = {
  read: { label: 'reading clients', unit: 'clients' },
  write: { label: 'writing clients', unit: 'clients' },
  'text:embed': { label: 'embedding verbatims', unit: 'texts' },
  'text:write': { label: 'writing verbatims', unit: 'verbatims' },
};

export const analyzeCommand: Command = {
  name: 'analyze',
  summary:
    'communities, node embeddings, similar clients, verbatim sentiment and topics, written back into the graph',
  usage,
  options: {
    dimensions: { type: 'string' },
    k: { type: 'string' },
    resolution: { type: 'string' },
    seed: { type: 'string' },
    'no-text': { type: 'boolean' },
  },
  async run(args) {
    const config = loadConfig();
    const options = {
      dimensions: intFlag(args, 'dimensions', 128, 8, 1024),
      k: intFlag(args, 'k', 20, 1, 200),
      resolution: numberFlag(args, 'resolution', 0.5, 0.01, 100),
      seed: intFlag(args, 'seed', 42),
      text: !boolFlag(args, 'no-text'),
    };
    return withConnection(config, async ({ db }) => {
      let bar: Progress | undefined;
      let phase = '';
      const s = await analyze(db, {
        ...options,
        onProgress: (p, done) => {
          if (p !== phase) {
            bar?.done();
            phase = p;
            bar = progress(PHASES[p] ?? { label: p, unit: 'rows' });
          }
          bar?.set(done);
        },
      });
      bar?.done();
      process.stdout.write(
        `analyzed ${s.clients.toLocaleString('en')} clients (${s.nodes.toLocaleString('en')} nodes, ${s.edges.toLocaleString('en')} edges) in ${s.seconds.toFixed(1)}s\n` +
          `  communities: ${s.communities} (modularity ${s.modularity.toFixed(3)} on the kNN graph; ${s.projectionModularity.toFixed(3)} on the shared-products client graph: docs/graph.md)\n` +
          `  SIMILAR_TO: ${s.similarTo.toLocaleString('en')}; vector index: ${s.vectorIndex ? 'client_embedding' : 'none (dimension is not 128)'}\n` +
          `  ${Object.entries(s.timings)
            .map(([k, v]) => `${k} ${v.toFixed(1)}s`)
            .join(', ')}\n`,
      );
      const x = s.text;
      if (x)
        process.stdout.write(
          `analyzed ${x.verbatims.toLocaleString('en')} verbatims in ${x.seconds.toFixed(1)}s: ${x.positive.toLocaleString('en')} positive, ${x.negative.toLocaleString('en')} negative (${x.mixed.toLocaleString('en')} mixed; ${x.method}), ${x.topics} topics; vector index: ${x.vectorIndex ? 'verbatim_embedding' : 'none'}\n` +
            x.topicNames
              .map((name, i) => `  T${i}: ${name}${x.topicAbout[i] ? ` (about ${x.topicAbout[i]})` : ''}\n`)
              .join('') +
            `  product or channel found in the text of ${x.aboutFromText.toLocaleString('en')} verbatims without ABOUT links\n`,
        );
      return 0;
    });
  },
};
