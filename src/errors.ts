/**
 * The one error module. Every error nbg raises on purpose is an NbgError with a code from
 * ErrorCode; the CLI maps codes to exit codes and the API maps them to GraphQL extensions.
 */

export const ErrorCode = {
  /** Input data breaks the data contract (a CSV row, policy.json, a truth/ file). */
  BAD_INPUT: 'BAD_INPUT',
  /** A command-line flag or configuration value is invalid. */
  BAD_CONFIG: 'BAD_CONFIG',
  /** Something the command needs is missing on this machine (java, mvn, python, a built model). */
  MISSING_DEPENDENCY: 'MISSING_DEPENDENCY',
  /** The database cannot be reached or did not start. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A requested entity does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** A plan or policy cannot be satisfied. */
  INFEASIBLE: 'INFEASIBLE',
  /** The caller may not do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** The caller is not authenticated. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A bug: an invariant of nbg itself was broken. */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Where in an input a problem was found. Lines and columns are 1-based. */
export interface InputLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly columnName?: string;
  readonly id?: string;
}

export class NbgError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NbgError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** One problem in input data, with its location. */
export interface InputIssue extends InputLocation {
  readonly reason: string;
}

/** Formats a location as `file:line:column (name)`, the form editors and terminals can follow. */
export function formatLocation(loc: InputLocation): string {
  let s = loc.file ?? '<input>';
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.column !== undefined) s += `:${loc.column}`;
  const extras: string[] = [];
  if (loc.columnName !== undefined) extras.push(loc.columnName);
  if (loc.id !== undefined) extras.push(`id ${loc.id}`);
  if (extras.length > 0) s += ` (${extras.join(', ')})`;
  return s;
}

export function formatIssue(issue: InputIssue): string {
  return `${formatLocation(issue)}: ${issue.reason}`;
}

/** Bad input: carries every issue found, so a report can list them all. */
export class InputError extends NbgError {
  readonly issues: readonly InputIssue[];
  constructor(issues: readonly InputIssue[], summary?: string) {
    const first = issues[0];
    const head = summary ?? (first ? formatIssue(first) : 'bad input');
    super(ErrorCode.BAD_INPUT, issues.length > 1 ? `${head} (and ${issues.length - 1} more)` : head);
    this.name = 'InputError';
    this.issues = issues;
  }
}

export function isNbgError(e: unknown): e is NbgError {
  return e instanceof NbgError;
}
