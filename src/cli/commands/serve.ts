import { signToken } from '../../api/auth.js';
import { apiSecret } from '../../api/secret.js';
import { createApiServer } from '../../api/server.js';
import { loadConfig } from '../../config.js';
import { withConnection } from '../../db/connect.js';
import { logger } from '../../log.js';
import { intFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';

const usage = `nbg serve [--port 4000] [--host 127.0.0.1] [--example-client ID]

Serves the GraphQL API (schema.graphql) on the graph at POST http://HOST:PORT/graphql until Ctrl-C,
and prints an admin token and a ready-to-paste curl query. Tokens are HS256 JWTs signed with
NBG_JWT_SECRET, or, when unset, with a demo secret generated once under the data dir (see nbg token).
NODE_ENV=production turns introspection off. The API is described in docs/api.md.

  --example-client ID   the printed example asks for this client's recommendations (npm start
                        passes a client of the demo world)`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the GraphQL API on the graph',
  usage,
  options: { port: { type: 'string' }, host: { type: 'string' }, 'example-client': { type: 'string' } },
  async run(args) {
    const port = intFlag(args, 'port', 4000, 0, 65535);
    const host = stringFlag(args, 'host', '127.0.0.1') ?? '127.0.0.1';
    const config = loadConfig();
    const secret = apiSecret(config.dataDir);
    return withConnection(config, async (conn) => {
      const server = createApiServer({ db: conn.db, logger: logger(), secret });
      const { url } = await server.listen(port, host);
      const token = await signToken(secret, 'admin', { ttl: '8h' });
      const client = stringFlag(args, 'example-client');
      const query = client
        ? `{ recommendations(clientId: ${JSON.stringify(client)}, limit: 3) { id productId channel scores { value } checks { rule passed reason } paths { kind } } }`
        : '{ policyEvaluation { createdAt } }';
      const body = JSON.stringify({ query }).replaceAll("'", "'\\''");
      process.stdout.write(
        `API ready at ${url}\nadmin token (8h): ${token}\n\nTry:\ncurl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${token}' -d '${body}'\n\nCtrl-C stops.\n`,
      );
      await new Promise<never>(() => {});
      return 0;
    });
  },
};
