import { z } from 'zod';
import { ErrorCode, NbgError } from './errors.js';
import { dataDir } from './paths.js';

/**
 * The one configuration of nbg, read from the environment (flags override through `overrides`) and
 * validated once. Every module takes what it needs from here rather than reading process.env.
 */
const memorySize = z.string().regex(/^\d+[kmgKMG]$/, 'expected a size such as 512m or 2g');

const envSchema = z.object({
  NEO4J_URI: z.string().url().optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().optional(),
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
  NBG_DATA_DIR: z.string().min(1).optional(),
  NBG_NEO4J_HEAP: memorySize.default('1g'),
  NBG_NEO4J_PAGECACHE: memorySize.default('512m'),
  NBG_NEO4J_START_TIMEOUT: z.coerce.number().int().min(5).max(3600).default(120),
});

export interface Config {
  readonly dataDir: string;
  readonly neo4j: {
    /** A server to use instead of the embedded one. */
    readonly uri: string | undefined;
    readonly user: string;
    readonly password: string | undefined;
    readonly database: string;
    /** Embedded instance: JVM heap (-Xmx), page cache, start-up timeout. */
    readonly heap: string;
    readonly pagecache: string;
    readonly startTimeoutSeconds: number;
  };
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { dataDir?: string } = {},
): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `environment variable ${String(issue?.path[0])}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const e = parsed.data;
  return {
    dataDir: dataDir(overrides.dataDir ?? e.NBG_DATA_DIR),
    neo4j: {
      uri: e.NEO4J_URI,
      user: e.NEO4J_USER,
      password: e.NEO4J_PASSWORD,
      database: e.NEO4J_DATABASE,
      heap: e.NBG_NEO4J_HEAP,
      pagecache: e.NBG_NEO4J_PAGECACHE,
      startTimeoutSeconds: e.NBG_NEO4J_START_TIMEOUT,
    },
  };
}

/**
 * Process-wide settings read from the environment, apart from the database connection (loadConfig):
 * logging, progress output, the TensorFlow.js backend, the local text-model folder, the API's
 * production mode and JWT secret. Never throws: an unset or unknown value takes its default.
 */
export interface RuntimeSettings {
  /** NBG_LOG_LEVEL, default 'warn'. */
  readonly logLevel: string;
  /** NBG_PROGRESS=0 silences progress output. */
  readonly progress: boolean;
  /** CI is set: progress prints plain lines, never a bar. */
  readonly ci: boolean;
  /** NBG_TF_BACKEND=cpu forces TensorFlow.js's pure-JS backend; WASM otherwise. */
  readonly tfBackend: 'wasm' | 'cpu';
  /** NBG_MODELS_DIR: the local text models' folder, instead of models/ in the project root. */
  readonly modelsDir: string | undefined;
  /** NODE_ENV=production: the API hides introspection and the landing page. */
  readonly production: boolean;
  /** NBG_JWT_SECRET: the API's token and pseudonym secret, instead of the generated one. */
  readonly jwtSecret: string | undefined;
  /** NBG_DATA_DIR, before it is made absolute (dataDir() does that). */
  readonly dataDir: string | undefined;
}

export function runtimeSettings(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const nonEmpty = (v: string | undefined): string | undefined =>
    v === undefined || v === '' ? undefined : v;
  return {
    logLevel: nonEmpty(env.NBG_LOG_LEVEL) ?? 'warn',
    progress: env.NBG_PROGRESS !== '0',
    ci: env.CI !== undefined,
    tfBackend: env.NBG_TF_BACKEND === 'cpu' ? 'cpu' : 'wasm',
    modelsDir: nonEmpty(env.NBG_MODELS_DIR),
    production: env.NODE_ENV === 'production',
    jwtSecret: nonEmpty(env.NBG_JWT_SECRET),
    dataDir: nonEmpty(env.NBG_DATA_DIR),
  };
}
