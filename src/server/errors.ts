// What can go wrong in an API call, as a closed table: each kind has one HTTP status and one
// stable code that clients branch on (messages are for people and may change). The OpenAPI
// document lists this table; `ApiError` carries a kind, a message and optional details.
//
// Errors thrown by the rest of pluginops are translated here once (`fromThrown`); anything not
// recognised is an internal error: logged with its stack, answered as 500 E_INTERNAL without it.
import { InvalidDocumentsError } from '../documents/diagnostics.ts';
import { ParameterError } from '../engine/parameters.ts';
import { StoreError } from '../store/errors.ts';
import { PathError } from '../store/paths.ts';
import { DecisionError, type DecisionErrorCode } from '../runs/decide.ts';
import { RunError, type RunErrorCode } from '../runs/service.ts';
import { UnknownWorkflowError } from '../project/workflows.ts';
import { RemediationError } from '../remediation/errors.ts';

/** Who may not answer is forbidden; answering what does not wait (or twice) conflicts; bad values are invalid. */
const decisionKinds: Record<DecisionErrorCode, ProblemKind> = {
  E_NOT_WAITING: 'conflict', E_DUPLICATE: 'conflict', E_NOT_APPROVER: 'forbidden', E_FOUR_EYES: 'forbidden',
  E_INVALID_VALUES: 'invalid', E_BAD_DECISION: 'invalid',
};

/** A run another one blocks, or one that cannot be retried, conflicts; a stopping server is unavailable. */
const runKinds: Record<RunErrorCode, ProblemKind> = {
  E_NOT_FOUND: 'notFound', E_CONCURRENCY: 'conflict', E_NOT_RETRYABLE: 'conflict', E_STOPPING: 'unavailable', E_NO_PLUGIN_DIRECTORY: 'invalid',
};

export const problemKinds = {
  badRequest: { status: 400, code: 'E_VALIDATION', meaning: 'A path or query parameter does not match its schema (an id with characters outside `[A-Za-z0-9_.:-]`, an unknown or repeated query parameter, a limit out of range); `details` lists each problem.' },
  badJson: { status: 400, code: 'E_BAD_JSON', meaning: 'The body is not well-formed JSON (or not UTF-8).' },
  unauthorized: { status: 401, code: 'E_UNAUTHORIZED', meaning: 'No token, a malformed `Authorization` header, or a token that matches none of `server.tokens`; answered with `WWW-Authenticate: Bearer`. Writes are refused this way while no tokens are configured.' },
  forbidden: { status: 403, code: 'E_FORBIDDEN', meaning: 'A valid token without the scope the route needs, or a preflight from an origin not in `server.cors.origins`.' },
  notFound: { status: 404, code: 'E_NOT_FOUND', meaning: 'No such route, or no such workflow, execution, check or incident.' },
  method: { status: 405, code: 'E_METHOD', meaning: 'The path exists but not with this method; `Allow` lists the methods it has.' },
  conflict: { status: 409, code: 'E_CONFLICT', meaning: 'The request is valid but the resource\'s state forbids it (cancelling a finished execution, resolving a resolved incident, a workflow id defined in another file); `details` says why.' },
  tooLarge: { status: 413, code: 'E_TOO_LARGE', meaning: 'The body is larger than `server.bodyLimit` (1 MiB by default); reading stopped at the limit.' },
  mediaType: { status: 415, code: 'E_MEDIA_TYPE', meaning: 'The body\'s `Content-Type` is not one the route accepts (or a charset other than UTF-8).' },
  invalid: { status: 422, code: 'E_VALIDATION', meaning: 'The body is well-formed but does not validate: unknown or missing fields, wrong types, document diagnostics (`details: [{ line, col, code, message }]`), bad workflow parameters.' },
  internal: { status: 500, code: 'E_INTERNAL', meaning: 'Something failed inside the server; it is logged, and the answer carries no detail.' },
  unavailable: { status: 503, code: 'E_UNAVAILABLE', meaning: 'The server is stopping and starts no new executions.' },
} as const satisfies Record<string, { status: number; code: `E_${string}`; meaning: string }>;

export type ProblemKind = keyof typeof problemKinds;
export type ErrorCode = (typeof problemKinds)[ProblemKind]['code'];

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ErrorCode;

  constructor(readonly kind: ProblemKind, message: string, readonly details?: unknown, readonly headers: Record<string, string> = {}) {
    super(message);
    this.status = problemKinds[kind].status;
    this.code = problemKinds[kind].code;
  }
}

/** The request stopped before it was read (the client went away): nothing is answered. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}

/** A refused run: a field of the request that is wrong is listed like the body's validation problems. */
function runProblem(e: RunError): ApiError {
  const { field, problem } = e.detail ?? {};
  if (typeof field === 'string') return new ApiError(runKinds[e.code], e.message, [{ path: `/${field}`, message: typeof problem === 'string' ? problem : e.message, code: e.code }]);
  return new ApiError(runKinds[e.code], e.message, { reason: e.code, ...e.detail });
}

/** Known errors of the rest of pluginops as API errors; undefined for anything else. */
export function fromThrown(e: unknown): ApiError | undefined {
  if (e instanceof ApiError) return e;
  if (e instanceof InvalidDocumentsError) {
    return new ApiError('invalid', `${e.message}; run \`pluginops validate\` for the same list`, e.diagnostics.map(({ file, line, col, code, message }) => ({ file, line, col, code, message })));
  }
  if (e instanceof ParameterError) return new ApiError('invalid', e.message, [{ code: e.code, message: e.message, path: '/parameters' }]);
  if (e instanceof DecisionError) return new ApiError(decisionKinds[e.code], e.message, { reason: e.code });
  if (e instanceof RunError) return runProblem(e);
  if (e instanceof UnknownWorkflowError) return new ApiError('notFound', e.message);
  if (e instanceof RemediationError) {
    const kind: ProblemKind = e.code === 'E_UNKNOWN_INCIDENT' ? 'notFound' : e.code === 'E_NO_REMEDIATION' ? 'conflict' : 'invalid';
    return new ApiError(kind, e.message, { reason: e.code, ...(e.problems.length ? { problems: e.problems } : {}) });
  }
  if (e instanceof PathError) return new ApiError('badRequest', e.message, { reason: e.code });
  if (e instanceof StoreError) {
    if (e.code === 'E_BAD_ID') return new ApiError('badRequest', e.message);
    if (e.code === 'E_NOT_FOUND') return new ApiError('notFound', e.message);
  }
  return undefined;
}
