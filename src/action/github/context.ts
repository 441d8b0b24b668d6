// The workflow run's context, read from the environment the runner sets and the event payload
// file it names. Pure: the caller passes the environment and a file reader (no @actions/github
// `context`, which reads process.env when imported).

export interface RunContext {
  eventName?: string;
  owner?: string;
  repo?: string;
  /** GITHUB_SHA: for pull_request events the merge commit, not the branch head. */
  sha?: string;
  ref?: string;
  /** The pull request's head commit, for pull_request(_target) events. */
  headSha?: string;
  /** The pull request's base commit and branch, for pull_request(_target) events. */
  baseSha?: string;
  baseRef?: string;
  /** The pull request or issue the event is about (pull_request.number, else issue.number). */
  issueNumber?: number;
  /** REST API root without a trailing slash. */
  apiUrl: string;
  serverUrl: string;
  runId: number | undefined;
  /** The run's page, when repository and run id are known. */
  runUrl?: string;
  /** Why GITHUB_EVENT_PATH could not be read or parsed, when it could not. */
  payloadError?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

function readPayload(path: string | undefined, readFile: (p: string) => string): { payload?: unknown; error?: string } {
  if (!path) return {};
  try {
    return { payload: JSON.parse(readFile(path)) };
  } catch (e) {
    return { error: `event payload ${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function readContext(env: Env, readFile: (p: string) => string): RunContext {
  const [owner, repo, ...extra] = (nonEmpty(env.GITHUB_REPOSITORY) ?? '').split('/');
  const hasRepo = Boolean(owner && repo && extra.length === 0);
  const apiUrl = (nonEmpty(env.GITHUB_API_URL) ?? 'https://api.github.com').replace(/\/+$/, '');
  const serverUrl = (nonEmpty(env.GITHUB_SERVER_URL) ?? 'https://github.com').replace(/\/+$/, '');
  const runIdText = nonEmpty(env.GITHUB_RUN_ID);
  const runId = runIdText && /^\d+$/.test(runIdText) ? Number(runIdText) : undefined;
  const { payload, error } = readPayload(nonEmpty(env.GITHUB_EVENT_PATH), readFile);
  const pr = field(payload, 'pull_request');
  const issueNumber = positiveInt(field(pr, 'number')) ?? positiveInt(field(field(payload, 'issue'), 'number'));
  const headSha = field(field(pr, 'head'), 'sha');
  const baseSha = field(field(pr, 'base'), 'sha');
  const baseRef = field(field(pr, 'base'), 'ref');

  const ctx: RunContext = { apiUrl, serverUrl, runId };
  const set = <K extends keyof RunContext>(key: K, value: RunContext[K] | undefined) => { if (value !== undefined) ctx[key] = value; };
  set('eventName', nonEmpty(env.GITHUB_EVENT_NAME));
  if (hasRepo) { set('owner', owner); set('repo', repo); }
  set('sha', nonEmpty(env.GITHUB_SHA));
  set('ref', nonEmpty(env.GITHUB_REF));
  set('headSha', typeof headSha === 'string' && headSha ? headSha : undefined);
  set('baseSha', typeof baseSha === 'string' && /^[0-9a-f]{40,64}$/.test(baseSha) ? baseSha : undefined);
  set('baseRef', typeof baseRef === 'string' && baseRef ? baseRef : undefined);
  set('issueNumber', issueNumber);
  if (hasRepo && runId !== undefined) set('runUrl', `${serverUrl}/${owner}/${repo}/actions/runs/${runId}`);
  set('payloadError', error);
  return ctx;
}
