// What can go wrong in an API call, as a closed table: each kind has one HTTP status and one
// stable code that clients branch on (messages are for people and may change). The OpenAPI
// document lists this table; `ApiError` carries a problem, a message and optional details.
//
// Errors thrown by the rest of pluginops are translated here once (`fromThrown`), by their kind
// (`problemOf`); a failure that is not the caller's, and anything that is not a pluginops error,
// is an internal error: logged with its stack, answered as 500 E_INTERNAL without it.
import { InvalidDocumentsError } from '../documents/diagnostics.ts';
import { ParameterError } from '../engine/parameters.ts';
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';
import { RunError } from '../runs/run-error.ts';
import { RemediationError } from '../remediation/errors.ts';
import { TaskError } from '../tasks/errors.ts';
import { OptimizationError } from '../optimize/errors.ts';

export const problemKinds = {
  badRequest: { status: 400, code: 'E_VALIDATION', kind: 'malformed', meaning: 'A path or query parameter does not match its schema (an id with characters outside `[A-Za-z0-9_.:-]`, an unknown or repeated query parameter, a limit out of range); `details` lists each problem.' },
  badJson: { status: 400, code: 'E_BAD_JSON', kind: 'malformed', meaning: 'The body is not well-formed JSON (or not UTF-8).' },
  unauthorized: { status: 401, code: 'E_UNAUTHORIZED', kind: 'unauthorized', meaning: 'No token, a malformed `Authorization` header, or a token that matches none of `server.tokens`; answered with `WWW-Authenticate: Bearer`. Writes are refused this way while no tokens are configured.' },
  forbidden: { status: 403, code: 'E_FORBIDDEN', kind: 'forbidden', meaning: 'A valid token without the scope the route needs, or a preflight from an origin not in `server.cors.origins`.' },
  csrf: { status: 403, code: 'E_CSRF', kind: 'forbidden', meaning: 'A dashboard session sent a state-changing request without its CSRF token (`X-CSRF-Token`), or with a stale one: reload the page.' },
  notFound: { status: 404, code: 'E_NOT_FOUND', kind: 'not_found', meaning: 'No such route, or no such workflow, execution, check or incident.' },
  method: { status: 405, code: 'E_METHOD', kind: 'usage', meaning: 'The path exists but not with this method; `Allow` lists the methods it has.' },
  conflict: { status: 409, code: 'E_CONFLICT', kind: 'conflict', meaning: 'The request is valid but the resource\'s state forbids it (cancelling a finished execution, resolving a resolved incident, a document defined in a file with other documents, document writes switched off by `server.documentWrites: false`); `details.reason` says why.' },
  tooLarge: { status: 413, code: 'E_TOO_LARGE', kind: 'invalid', meaning: 'The body is larger than `server.bodyLimit` (1 MiB by default); reading stopped at the limit.' },
  mediaType: { status: 415, code: 'E_MEDIA_TYPE', kind: 'usage', meaning: 'The body\'s `Content-Type` is not one the route accepts (or a charset other than UTF-8).' },
  invalid: { status: 422, code: 'E_VALIDATION', kind: 'invalid', meaning: 'The body is well-formed but does not validate: unknown or missing fields, wrong types, document diagnostics (`details: [{ line, col, code, message }]`), bad workflow parameters.' },
  internal: { status: 500, code: 'E_INTERNAL', kind: 'internal', meaning: 'Something failed inside the server; it is logged, and the answer carries no detail.' },
  unavailable: { status: 503, code: 'E_UNAVAILABLE', kind: 'unavailable', meaning: 'The server is stopping and starts no new executions, too many live streams are open (1,000 in all, 50 for one token from one address), the database does not answer, or a replica that does not lead was sent a change to what the leader keeps by a dashboard session (`details.leader` is the leader\'s address): try again later, or there.' },
} as const satisfies Record<string, { status: number; code: `E_${string}`; kind: ErrorKind; meaning: string }>;

export type ProblemKind = keyof typeof problemKinds;
export type ErrorCode = (typeof problemKinds)[ProblemKind]['code'];

/**
 * Each kind of error as the problem the API answers. `internal` is not the caller's to know: the
 * error is logged and the answer says no more than "internal error".
 */
export const problemOf = {
  usage: 'invalid', not_defined: 'notFound', malformed: 'badRequest', invalid: 'invalid', not_found: 'notFound',
  conflict: 'conflict', refused: 'conflict', forbidden: 'forbidden', unacceptable: 'invalid', unauthorized: 'unauthorized',
  unavailable: 'unavailable', failed: 'internal', cancelled: 'internal', waiting: 'internal', internal: 'internal',
} as const satisfies Record<ErrorKind, ProblemKind>;

/** An error the API answers as it is; its kind (for everything else) follows from its problem. */
export class ApiError extends PluginopsError {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly kind: ErrorKind;

  constructor(readonly problem: ProblemKind, message: string, readonly details?: unknown, readonly headers: Record<string, string> = {}) {
    super(message);
    this.status = problemKinds[problem].status;
    this.code = problemKinds[problem].code;
    this.kind = problemKinds[problem].kind;
  }
}

/** The request stopped before it was read (the client went away): nothing is answered. */
export class ClientGoneError extends PluginopsError {
  readonly code = 'E_CLIENT_GONE';
  readonly kind = 'cancelled';
  override readonly name = 'ClientGoneError';
}

/** Known errors of the rest of pluginops as API errors; undefined for internal ones and anything else. */
export function fromThrown(e: unknown): ApiError | undefined {
  if (e instanceof ApiError) return e;
  if (!(e instanceof PluginopsError)) return undefined;
  const problem = problemOf[e.kind];
  if (problem === 'internal') return undefined;
  if (e instanceof InvalidDocumentsError) return new ApiError(problem, `${e.message}; run \`pluginops validate\` for the same list`, detailsOf(e));
  return new ApiError(problem, e.message, detailsOf(e));
}

/** A refused run: a field of the request that is wrong is listed like the body's validation problems. */
function runDetails(e: RunError): unknown {
  const { field, problem } = e.detail ?? {};
  if (typeof field === 'string') return [{ path: `/${field}`, message: typeof problem === 'string' ? problem : e.message, code: e.code }];
  return { reason: e.code, ...e.detail };
}

/** What an answer shows besides the message: the list of problems where the error has one, else why. */
function detailsOf(e: PluginopsError): unknown {
  if (e instanceof InvalidDocumentsError) return e.diagnostics.map(({ file, line, col, code, message }) => ({ file, line, col, code, message }));
  if (e instanceof ParameterError) return [{ code: e.code, message: e.message, path: '/parameters' }];
  if (e instanceof RunError) return runDetails(e);
  if (e instanceof RemediationError) return { reason: e.code, ...(e.problems.length ? { problems: e.problems } : {}) };
  if (e instanceof OptimizationError || e instanceof TaskError) return { reason: e.code, ...e.details };
  return { reason: e.code };
}
