import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, NbgError } from '../../errors.js';
import { projectRoot } from '../../paths.js';
import { stopwatch } from '../../stopwatch.js';

/**
 * The embedded Neo4j's launcher: a small Java program (neo4j/, Maven, Neo4j 5.26 Community from
 * Maven Central) built into neo4j/target/nbg-neo4j.jar when missing or older than its sources, and
 * the Java 17+ runtime it needs.
 */
export function launcherPaths(): { dir: string; jar: string; lib: string } {
  const dir = join(projectRoot(), 'neo4j');
  return { dir, jar: join(dir, 'target', 'nbg-neo4j.jar'), lib: join(dir, 'target', 'lib') };
}

function javaMajor(): number | undefined {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr}${r.stdout}`);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

/** Throws MISSING_DEPENDENCY unless a Java 17+ runtime is on the PATH. */
export function checkJava(): void {
  const major = javaMajor();
  if (major === undefined) {
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      'java was not found on the PATH: the embedded Neo4j needs Java 17 or newer',
      {
        hint: 'install a JDK 17+ (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven), or set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to use a running Neo4j 5 server',
      },
    );
  }
  if (major < 17) {
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      `java ${major} was found, the embedded Neo4j needs Java 17 or newer`,
      {
        hint: 'install a JDK 17+ and put it first on the PATH, or set NEO4J_URI to use a running Neo4j 5 server',
      },
    );
  }
}

function newestMtime(paths: readonly string[]): number {
  return Math.max(...paths.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
}

/** Whether the jar must be (re)built: missing, or older than the pom or the Java source. */
export function launcherIsStale(): boolean {
  const { dir, jar, lib } = launcherPaths();
  if (!existsSync(jar) || !existsSync(lib)) return true;
  const javaDir = join(dir, 'src/main/java/org/nextbestgraph/neo4j');
  const sources = [
    join(dir, 'pom.xml'),
    ...(existsSync(javaDir) ? readdirSync(javaDir).map((f) => join(javaDir, f)) : []),
  ];
  return statSync(jar).mtimeMs < newestMtime(sources);
}

/** Builds neo4j/target/nbg-neo4j.jar with Maven when it is missing or stale; returns its path. */
export function ensureLauncherBuilt(log: (line: string) => void = () => {}): string {
  const { dir, jar } = launcherPaths();
  if (!launcherIsStale()) return jar;
  checkJava();
  const mvn = spawnSync('mvn', ['--version'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      'mvn (Apache Maven) was not found: it builds the embedded Neo4j launcher',
      {
        hint: 'install Maven (Debian/Ubuntu: apt-get install maven), or set NEO4J_URI to use a running Neo4j 5 server',
      },
    );
  }
  log(
    'building the embedded Neo4j launcher with Maven (first run only; downloads Neo4j from Maven Central)...',
  );
  const sw = stopwatch();
  const r = spawnSync('mvn', ['-q', '-B', '-f', join(dir, 'pom.xml'), 'package', '-DskipTests'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 || !existsSync(jar)) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      `building the embedded Neo4j launcher failed (mvn exit ${r.status}):\n${tail}`,
      {
        hint: 'check that Maven Central is reachable and run `mvn -f neo4j/pom.xml package` to see the whole log',
      },
    );
  }
  log(`launcher built in ${sw.seconds().toFixed(1)}s`);
  return jar;
}

/** The launcher's jar, built first when needed (progress on stderr), and a checked Java runtime. */
export function readyLauncher(): string {
  const jar = ensureLauncherBuilt((l) => process.stderr.write(`nbg: ${l}\n`));
  checkJava();
  return jar;
}
