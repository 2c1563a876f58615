import { loadConfig } from '../../config.js';
import { withConnection } from '../../db/connect.js';
import { graphCounts } from '../../db/counts.js';
import { openDriver } from '../../db/driver.js';
import { embeddedPassword } from '../../db/embedded/password.js';
import { neo4jStateDir, readInstance, startLongLived, stopLongLived } from '../../db/instance.js';
import { migrate } from '../../db/migrate.js';
import { deleteEverything } from '../../db/reset.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { intFlag } from '../args.js';
import type { Command } from '../command.js';

const usage = `nbg db start|stop|status|migrate|reset [--port N] [--yes]

  start    start a long-lived embedded Neo4j for this data directory (NBG_DATA_DIR, default .nbg);
           later nbg commands use it instead of starting their own. --port N (default: a free port)
  stop     stop it
  status   where nbg's Neo4j is, whether it answers, and the graph's counts
  migrate  create the constraints and indexes (idempotent)
  reset    delete every node and relationship (the schema stays); needs --yes

With NEO4J_URI set, nbg uses that server: start/stop refuse, status, migrate and reset act on it.`;

export const dbCommand: Command = {
  name: 'db',
  summary: 'manage the local Neo4j: start, stop, status, migrate',
  usage,
  options: { port: { type: 'string' }, yes: { type: 'boolean' } },
  allowPositionals: true,
  async run(args) {
    const config = loadConfig();
    const action = args.positionals[0];
    switch (action) {
      case 'start': {
        const port = args.values.port === undefined ? undefined : intFlag(args, 'port', 0, 1, 65535);
        const { state, readySeconds } = await startLongLived(config, port);
        if (readySeconds === null)
          process.stdout.write(`Neo4j already running: ${state.uri} (pid ${state.pid})\n`);
        else
          process.stdout.write(
            `Neo4j ready at ${state.uri} (pid ${state.pid}) in ${readySeconds.toFixed(1)}s\n`,
          );
        return 0;
      }
      case 'stop': {
        const stopped = await stopLongLived(config);
        process.stdout.write(
          stopped ? 'Neo4j stopped\n' : 'no long-lived Neo4j was running for this data directory\n',
        );
        return 0;
      }
      case 'status': {
        if (!config.neo4j.uri && !readInstance(config)) {
          process.stdout.write(
            `no long-lived Neo4j for ${config.dataDir} (commands start an embedded one as needed; \`nbg db start\` keeps one up)\n`,
          );
          return 0;
        }
        const inst = readInstance(config);
        const uri = config.neo4j.uri ?? inst?.uri ?? '';
        const driver = await openDriver(
          uri,
          config.neo4j.uri ? config.neo4j.user : 'neo4j',
          config.neo4j.uri ? config.neo4j.password : embeddedPassword(neo4jStateDir(config)),
        );
        const info = await driver.getServerInfo();
        await driver.close();
        process.stdout.write(
          `Neo4j ${info.agent ?? ''} answers at ${uri}${inst ? ` (pid ${inst.pid})` : ''}\n`,
        );
        await withConnection(config, async ({ db }) => {
          const counts = await graphCounts(db);
          for (const [k, v] of Object.entries(counts.nodes)) process.stdout.write(`  (:${k}) ${v}\n`);
          for (const [k, v] of Object.entries(counts.relationships)) process.stdout.write(`  [:${k}] ${v}\n`);
        });
        return 0;
      }
      case 'migrate': {
        await withConnection(config, async ({ db }) => {
          const names = await migrate(db);
          process.stdout.write(`schema up to date: ${names.length} constraints and indexes\n`);
        });
        return 0;
      }
      case 'reset': {
        if (args.values.yes !== true) {
          throw new NbgError(
            ErrorCode.BAD_CONFIG,
            'nbg db reset deletes the whole graph: add --yes to confirm',
          );
        }
        await withConnection(config, async ({ db, target }) => {
          const n = await deleteEverything(db);
          process.stdout.write(
            `deleted ${n.toLocaleString('en')} nodes (and their relationships) at ${target.uri}\n`,
          );
        });
        return 0;
      }
      default:
        throw new NbgError(
          ErrorCode.BAD_CONFIG,
          `nbg db: expected start, stop, status, migrate or reset, got ${JSON.stringify(action ?? '')}`,
        );
    }
  },
};
