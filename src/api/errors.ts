import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, isNbgError } from '../errors.js';

/** The API's error codes: the `ErrorCode` enum of schema.graphql, carried in extensions.code. */
export const ApiErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];
export const API_ERROR_CODES: readonly ApiErrorCode[] = Object.values(ApiErrorCode);

const HTTP_STATUS: Partial<Record<ApiErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  PAYLOAD_TOO_LARGE: 413,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COSTLY: 400,
};

/** A GraphQLError with one of the API codes (and the HTTP status when it is not 200). */
export function apiError(code: ApiErrorCode, message: string): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, { extensions: status ? { code, http: { status } } : { code } });
}

const FROM_NBG: Partial<Record<ErrorCode, ApiErrorCode>> = {
  [ErrorCode.BAD_INPUT]: ApiErrorCode.BAD_USER_INPUT,
  [ErrorCode.BAD_CONFIG]: ApiErrorCode.BAD_USER_INPUT,
  [ErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [ErrorCode.FORBIDDEN]: ApiErrorCode.FORBIDDEN,
  [ErrorCode.UNAUTHENTICATED]: ApiErrorCode.UNAUTHENTICATED,
  [ErrorCode.SERVICE_UNAVAILABLE]: ApiErrorCode.SERVICE_UNAVAILABLE,
};

const PASS_THROUGH = new Set<string>(API_ERROR_CODES.filter((c) => c !== ApiErrorCode.INTERNAL_SERVER_ERROR));
PASS_THROUGH.add('BAD_REQUEST');
PASS_THROUGH.add('PERSISTED_QUERY_NOT_FOUND');
PASS_THROUGH.add('OPERATION_RESOLUTION_FAILURE');
PASS_THROUGH.add('GRAPHQL_PARSE_FAILED');

/**
 * The error a resolver threw, under GraphQL's wrappers. Read by shape, not `instanceof`: Apollo may
 * wrap with another copy of the graphql package than the one this module imports.
 */
function unwrap(error: unknown): unknown {
  let e = error;
  for (let i = 0; i < 5; i++) {
    const inner = (e as { originalError?: unknown } | null)?.originalError;
    if (inner === undefined || inner === null) break;
    e = inner;
  }
  return e;
}

/**
 * Apollo `formatError`: NbgErrors become their API code with their message; GraphQL errors with a
 * known code pass (without stack trace); anything else is masked as INTERNAL_SERVER_ERROR with an
 * errorId, and logged in full under that id.
 */
export function errorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrap(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (isNbgError(original)) {
      const code = FROM_NBG[original.code];
      if (code) return { ...base, message: original.message, extensions: { code } };
    } else {
      const code = formatted.extensions?.code;
      if (typeof code === 'string' && PASS_THROUGH.has(code)) {
        return {
          ...base,
          extensions: {
            code: code === 'GRAPHQL_PARSE_FAILED' ? ApiErrorCode.GRAPHQL_VALIDATION_FAILED : code,
          },
        };
      }
    }
    const errorId = randomUUID();
    log.error({ errorId, err: original }, 'api internal error');
    return {
      message: `internal error ${errorId}`,
      path: formatted.path,
      extensions: { code: ApiErrorCode.INTERNAL_SERVER_ERROR, errorId },
    };
  };
}
