import { signToken } from '../../api/auth.js';
import { apiSecret } from '../../api/secret.js';
import { API_DRIVER_TUNING, createApiServer } from '../../api/server.js';
import { loadTrainedValueSource } from '../../api/trained-value-source.js';
import { chooseValueSource } from '../../api/value-source-choice.js';
import { loadConfig } from '../../config.js';
import { connect } from '../../db/connect.js';
import { logger } from '../../log.js';
import { intFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';

const usage = `nbg serve [--port 4000] [--host 127.0.0.1] [--model DIR] [--example-client ID]

Serves the GraphQL API (schema.graphql) on the graph at POST http://HOST:PORT/graphql until Ctrl-C,
and prints an admin token and a ready-to-paste curl query. Tokens are HS256 JWTs signed with
NBG_JWT_SECRET, or, when unset, with a demo secret generated once under the data dir (see nbg token).
NODE_ENV=production turns introspection off. The API is described in docs/api.md.

  --model DIR           rank with this trained model suite (default: the latest one nbg train wrote
                        under DATA_DIR/models; without any, stand-in values, with a warning)
  --example-client ID   the printed example asks for this client's recommendations; 'auto': the
                        first client (by id) who would be offered a contact now (npm start)`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the GraphQL API on the graph',
  usage,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    model: { type: 'string' },
    'example-client': { type: 'string' },
  },
  async run(args) {
    const port = intFlag(args, 'port', 4000, 0, 65535);
    const host = stringFlag(args, 'host', '127.0.0.1') ?? '127.0.0.1';
    const config = loadConfig();
    const secret = apiSecret(config.dataDir);
    const log = logger();
    const conn = await connect(config, API_DRIVER_TUNING);
    let stop: (() => Promise<void>) | undefined;
    try {
      const choice = await chooseValueSource({
        modelDir: stringFlag(args, 'model'),
        dataDir: config.dataDir,
        load: (dir) => {
          process.stderr.write(`nbg serve: loading the trained model ${dir}\n`);
          return loadTrainedValueSource(dir, conn.db, {
            warn: (line) => process.stderr.write(`nbg serve: ${line}\n`),
          });
        },
      });
      if (choice.warning) process.stderr.write(`nbg serve: ${choice.warning}\n`);
      const server = createApiServer({
        db: conn.db,
        logger: log,
        secret,
        values: choice.values,
        modelKind: choice.modelKind,
      });
      const listening = await server.listen(port, host);
      stop = listening.close;
      const { url } = listening;
      const token = await signToken(secret, 'admin', { ttl: '8h' });
      const asked = stringFlag(args, 'example-client');
      const client = asked === 'auto' ? await server.exampleClient() : asked;
      const query = client
        ? `{ recommendations(clientId: ${JSON.stringify(client)}, limit: 3) { id productId channel scores { value } checks { rule passed reason } paths { kind } } }`
        : '{ policyEvaluation { createdAt } }';
      const body = JSON.stringify({ query }).replaceAll("'", "'\\''");
      process.stdout.write(
        `API ready at ${url} (values: ${choice.values.name}, model ${choice.values.modelVersion})\nadmin token (8h): ${token}\n\nTry:\ncurl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${token}' -d '${body}'\n\nCtrl-C stops.\n`,
      );
      // Ctrl-C / SIGTERM: stop taking requests, write the served recommendations still queued, then
      // close the driver (and an embedded Neo4j this process started).
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await stop();
      stop = undefined;
      return signal === 'SIGINT' ? 130 : 143;
    } finally {
      await stop?.();
      await conn.close();
    }
  },
};
