#!/usr/bin/env node
// `npm start`: installs what is missing, then runs the whole chain on a small world against a local
// Neo4j (started once for the chain, stopped at the end or on Ctrl-C). Each step is an ordinary
// `nbg` command, so what this script does can be done by hand.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const ensure = spawnSync(process.execPath, [join(root, 'scripts', 'ensure.mjs'), 'start'], {
  stdio: 'inherit',
});
if (ensure.status !== 0) process.exit(ensure.status ?? 1);

const nbgBin = join(root, 'bin', 'nbg.mjs');
const dataDir = process.env.NBG_DATA_DIR ?? join(root, '.nbg');
const env = { ...process.env, NBG_DATA_DIR: dataDir };
const world = join(dataDir, 'worlds', 'demo');

function nbg(args, { allowFail = false } = {}) {
  process.stderr.write(`\n$ nbg ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [nbgBin, ...args], { stdio: 'inherit', env, cwd: root });
  if (r.status !== 0 && !allowFail) {
    cleanup();
    process.exit(r.status ?? 1);
  }
  return r.status;
}
let started = false;
function cleanup() {
  if (started && !process.env.NEO4J_URI)
    spawnSync(process.execPath, [nbgBin, 'db', 'stop'], { stdio: 'inherit', env, cwd: root });
}
// The last step (serve) runs asynchronously so that SIGINT/SIGTERM reach this script: they are passed
// to the server, and the local Neo4j is stopped once it has exited.
let server;
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    if (server && server.exitCode === null) server.kill(signal);
    else {
      cleanup();
      process.exit(code);
    }
  });
}

if (!process.env.NEO4J_URI) {
  nbg(['db', 'start']);
  started = true;
}
// A small world: NBG_DEMO_CLIENTS to change its size. Same seed, same world, so re-running npm start
// re-ingests identical rows, which changes nothing (ingest is idempotent).
const clients = process.env.NBG_DEMO_CLIENTS ?? '2000';
nbg(['db', 'migrate']);
nbg(['simulate', '--clients', clients, '--seed', '42', '--out', world]);
nbg(['ingest', world]);
nbg(['analyze']);
nbg(['train']);
nbg(['db', 'status']);
// Serve the API on the demo world until Ctrl-C (then the local Neo4j is stopped too).
process.stderr.write('\nServing the GraphQL API; Ctrl-C stops it (and the local Neo4j).\n');
process.stderr.write('\n$ nbg serve\n');
server = spawn(
  process.execPath,
  [nbgBin, 'serve', '--port', process.env.NBG_PORT ?? '4000', '--example-client', 'auto'],
  {
    stdio: 'inherit',
    env,
    cwd: root,
  },
);
server.on('exit', (code) => {
  cleanup();
  process.exit(code ?? 0);
});
