import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { Logger } from 'pino';
import { SyntheticValueSource } from '../allocate/stand-ins/synthetic-value-source.js';
import type { ActionValueSource } from '../allocate/value-sources/action-value-source.js';
import { runtimeSettings } from '../config.js';
import type { DriverTuning } from '../db/driver.js';
import type { Db } from '../db/executor.js';
import { projectRoot } from '../paths.js';
import { verifyBearer } from './auth.js';
import type { ApiContext } from './context.js';
import { ApiErrorCode, apiError, errorFormatter } from './errors.js';
import { QUERY_LIMIT_DEFAULTS, type QueryLimitOptions, queryLimitsPlugin } from './plugins/query-limits.js';
import { resolvers } from './resolvers.js';
import { createApiServices } from './services/api-services.js';

/** Options of the API server. */
export interface ApiServerOptions {
  readonly db: Db;
  readonly logger: Logger;
  /** HS256 key of the bearer tokens and of the analysts' pseudonyms (NBG_JWT_SECRET). */
  readonly secret: string;
  /** Production turns introspection off. */
  readonly production?: boolean;
  /** Largest accepted request body, in bytes. */
  readonly maxBodyBytes?: number;
  readonly limits?: QueryLimitOptions;
  /** Where recommendations get their values (default: the stand-in SyntheticValueSource). */
  readonly values?: ActionValueSource;
  /** 'trained' or 'stand-in' (default), written on the :Model node. */
  readonly modelKind?: string;
  readonly now?: () => Date;
}
export const API_SERVER_DEFAULTS = { maxBodyBytes: 64 * 1024 } as const;

/**
 * The API's driver waits: a stopped Neo4j refuses connections at once, so with 1 s of transaction
 * retries (the batch commands ride out 30 s) a request answers SERVICE_UNAVAILABLE within a second
 * or two; an unreachable host costs the 5 s connection timeout. The acquisition timeout stays long
 * enough for a loaded machine to open connections. The driver reconnects by itself when it is back.
 */
export const API_DRIVER_TUNING: DriverTuning = {
  connectionAcquisitionTimeout: 10_000,
  connectionTimeout: 5_000,
  maxTransactionRetryTime: 1_000,
};

/** The schema's SDL, read from schema.graphql at the repository root (the single source of the API). */
export function loadSchema(): string {
  return readFileSync(join(projectRoot(), 'schema.graphql'), 'utf8');
}

export interface ApiServer {
  readonly apollo: ApolloServer<ApiContext>;
  /** A client who would be offered a contact now, for the printed example (Recommender.exampleClient). */
  exampleClient(): Promise<string | undefined>;
  /** Starts Apollo and listens on host:port (port 0: a free one); returns the URL and a close(). */
  listen(port: number, host: string): Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * Apollo Server 5 on a plain node:http listener: bearer-JWT context, depth and cost limits, request
 * body limit (413), masked internal errors logged with an id, introspection off in production, CSRF
 * prevention on (Apollo's: POST must be JSON or carry apollo-require-preflight).
 */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const production = options.production ?? runtimeSettings().production;
  const maxBody = options.maxBodyBytes ?? API_SERVER_DEFAULTS.maxBodyBytes;
  const services = createApiServices({
    db: options.db,
    log: options.logger,
    values: options.values ?? new SyntheticValueSource(),
    modelKind: options.modelKind ?? 'stand-in',
    ...(options.now ? { now: options.now } : {}),
  });
  const apollo = new ApolloServer<ApiContext>({
    typeDefs: loadSchema(),
    resolvers,
    introspection: !production,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: errorFormatter(options.logger),
    plugins: [queryLimitsPlugin<ApiContext>(options.limits ?? QUERY_LIMIT_DEFAULTS)],
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/graphql' && url.pathname !== '/') {
      sendError(res, 404, ApiErrorCode.NOT_FOUND, `no route ${url.pathname}; POST /graphql`);
      return;
    }
    const chunks = await readBody(req, res, maxBody);
    if (!chunks) return;
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    if ((headers.get('content-type') ?? '').includes('application/json') && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        sendError(res, 400, ApiErrorCode.BAD_USER_INPUT, 'request body is not valid JSON');
        return;
      }
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: async () => {
        try {
          return {
            caller: await verifyBearer(options.secret, headers.get('authorization')),
            services,
            secret: options.secret,
          };
        } catch (e) {
          throw apiError(
            ApiErrorCode.UNAUTHENTICATED,
            e instanceof Error ? e.message : 'invalid bearer token',
          );
        }
      },
    });
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') res.end(result.body.string);
    else {
      for await (const part of result.body.asyncIterator) res.write(part);
      res.end();
    }
  };

  return {
    apollo,
    exampleClient: () => services.recommendations.exampleClient(),
    async listen(port, host) {
      await apollo.start();
      const server: Server = createServer((req, res) => {
        handle(req, res).catch((e: unknown) => {
          options.logger.error({ err: e }, 'api http handler failed');
          if (!res.headersSent) sendError(res, 500, ApiErrorCode.INTERNAL_SERVER_ERROR, 'internal error');
        });
      });
      // Idle keep-alive connections stay open longer than the usual proxy or client idle timeouts
      // (60 s): a client reusing a connection the server has just closed gets a reset instead of
      // an answer. Node's default is 5 s.
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = 66_000;
      await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(port, host, ok);
      });
      const addr = server.address() as AddressInfo;
      return {
        url: `http://${host}:${addr.port}/graphql`,
        close: async () => {
          await new Promise<void>((ok) => server.close(() => ok()));
          await apollo.stop();
          await services.close();
        },
      };
    },
  };
}

/** Answers a request the GraphQL layer never saw with one error in GraphQL's response shape. */
function sendError(res: ServerResponse, status: number, code: ApiErrorCode, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** The request body's chunks, or undefined once it has answered 413 for a body over `maxBody` bytes. */
async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBody: number,
): Promise<Buffer[] | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) {
      sendError(res, 413, ApiErrorCode.PAYLOAD_TOO_LARGE, `request body exceeds ${maxBody} bytes`);
      req.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return chunks;
}
