// The GitHub port: exactly the REST calls the action makes, so nothing else in the action sees
// Octokit. `octokitPort` is the real edge; tests drive it against a fake API on loopback.
// @actions/github is imported lazily, on the first request: it builds its `context` from the
// environment when imported, and importing this file must not.
//
// Every request is bounded by a timeout and retried as retry.ts decides (creating a comment or a
// deployment only when GitHub provably did not act). Every failure is a GitHubError whose message
// never contains the token.
import type { getOctokit } from '@actions/github';
import { defaultRetryPolicy, failureOf, isRateLimit, retryVerdict, type Failure, type RetryPolicy } from './retry.ts';
import { PluginopsError } from '../../errors/base.ts';
import type { OpenPull, PullFile } from '../../risk/conflicts/github.ts';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive' | 'queued' | 'pending';

export interface NewDeployment {
  ref: string;
  environment: string;
  description: string;
  payload?: object;
  transient?: boolean;
  production?: boolean;
}

export interface NewDeploymentStatus {
  state: DeploymentState;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

export interface GitHubPort {
  /** Every comment on an issue or pull request, oldest first, all pages. */
  listIssueComments(issue: number): Promise<Array<{ id: number; body: string }>>;
  createIssueComment(issue: number, body: string): Promise<{ id: number }>;
  updateIssueComment(id: number, body: string): Promise<void>;
  createDeployment(o: NewDeployment): Promise<{ id: number }>;
  createDeploymentStatus(id: number, o: NewDeploymentStatus): Promise<void>;
  /** Every open pull request, newest first, all pages. */
  listOpenPulls(): Promise<OpenPull[]>;
  /** The files a pull request changes, all pages; `patch` is absent for binary and very large files. */
  listPullFiles(pull: number): Promise<PullFile[]>;
}

export type { OpenPull, PullFile };

export type GitHubOperation = keyof GitHubPort;

export class GitHubError extends PluginopsError {
  readonly code = 'E_GITHUB';
  readonly kind = 'failed';
  constructor(
    message: string,
    /** The HTTP status GitHub answered with; 0 when no answer arrived (network error, timeout). */
    readonly status: number,
    readonly operation: GitHubOperation,
    /** Requests made, retries included. */
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

export interface OctokitPortOptions {
  token: string;
  owner: string;
  repo: string;
  /** The REST API root, e.g. GITHUB_API_URL; defaults to https://api.github.com. */
  baseUrl?: string;
  /** Waits between attempts (tests pass one that records and returns at once). */
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms, to read `x-ratelimit-reset`. */
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  /** Real time one request may take. */
  timeoutMs?: number;
}

/** Deployment status descriptions longer than this are refused by GitHub (422). */
const statusDescriptionMax = 140;
/** Stops a `link` header that never ends. */
const maxPages = 100;

const permissionOf: Record<GitHubOperation, string> = {
  listIssueComments: '`issues: read` (or `pull-requests: read`)',
  createIssueComment: '`issues: write` (or `pull-requests: write` for a pull request)',
  updateIssueComment: '`issues: write` (or `pull-requests: write` for a pull request)',
  createDeployment: '`deployments: write`',
  createDeploymentStatus: '`deployments: write`',
  listOpenPulls: '`pull-requests: read`',
  listPullFiles: '`pull-requests: read`',
};

type Octokit = ReturnType<typeof getOctokit>;
type RawComment = { id: number | bigint; body?: string | null };
type RawPull = { number: number; title?: string | null; html_url?: string; head?: { ref?: string }; base?: { ref?: string }; user?: { login?: string } | null };
type RawFile = { filename: string; status?: string; patch?: string | null };
/** One page of a list, as Octokit answers it. */
type Page = { data: unknown; headers: { link?: string } };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The URL with rel="next" in a `link` header. */
export function nextLink(link: string | undefined): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

function describe(f: Failure): string {
  return f.kind === 'http' ? `HTTP ${f.status}${f.message ? `: ${f.message}` : ''}` : `no answer from GitHub: ${f.detail}`;
}

export function octokitPort(o: OctokitPortOptions): GitHubPort {
  const { owner, repo } = o;
  const baseUrl = (o.baseUrl || 'https://api.github.com').replace(/\/+$/, '');
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...o.retry };
  const sleep = o.sleep ?? defaultSleep;
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 30_000;
  // Real tokens are 40 characters or more; a shorter one is a test's, and hiding every "t" helps nobody.
  const redact = (text: string) => (o.token.length >= 8 ? text.split(o.token).join('***') : text);

  let client: Promise<Octokit> | undefined;
  const octokit = () => (client ??= import('@actions/github').then((m) => m.getOctokit(o.token, { baseUrl, userAgent: 'pluginops' })));

  async function call<T>(operation: GitHubOperation, idempotent: boolean, fn: (api: Octokit, signal: AbortSignal) => Promise<T>): Promise<T> {
    const api = await octokit();
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(api, AbortSignal.timeout(timeoutMs));
      } catch (error) {
        const failure = failureOf(error);
        const verdict = retryVerdict(failure, { attempt, idempotent, now: now(), policy });
        if (verdict.retry) { await sleep(verdict.delayMs); continue; }
        const status = failure.kind === 'http' ? failure.status : 0;
        const hint = status === 401 ? '; GitHub refused the token'
          : isRateLimit(failure) ? '; rate limited for longer than the action waits'
          : status === 403 || status === 404 ? `; check that the token has ${permissionOf[operation]} permission` : '';
        const tries = attempt > 1 ? ` (${attempt} attempts)` : '';
        throw new GitHubError(redact(`GitHub ${operation} failed: ${describe(failure)}${tries}${hint}`), status, operation, attempt);
      }
    }
  }

  /** Every item of a list, all pages, following `link` (a read, so retried). */
  async function listAll<Raw, T>(operation: GitHubOperation, what: string, first: (api: Octokit, signal: AbortSignal) => Promise<Page>, map: (raw: Raw) => T): Promise<T[]> {
    const out: T[] = [];
    let res = await call(operation, true, first);
    for (let page = 1; ; page++) {
      if (!Array.isArray(res.data)) throw new GitHubError(`GitHub ${operation} failed: the answer is not a list of ${what}`, 0, operation, page);
      for (const item of res.data as Raw[]) out.push(map(item));
      const next = nextLink(res.headers.link);
      if (!next) return out;
      if (page >= maxPages) throw new GitHubError(`GitHub ${operation} failed: more than ${maxPages} pages of ${what}`, 0, operation, page);
      // The token goes wherever the link points: follow it only on the API's own origin.
      if (new URL(next).origin !== new URL(baseUrl).origin) {
        throw new GitHubError(redact(`GitHub ${operation} failed: the next page is on another host (${new URL(next).origin})`), 0, operation, page);
      }
      res = await call(operation, true, (api, signal) => api.request({ method: 'GET', url: next, request: { signal } }));
    }
  }

  return {
    listIssueComments: (issue) => listAll('listIssueComments', 'comments', (api, signal) => api.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner, repo, issue_number: issue, per_page: 100, request: { signal },
    }), (c: RawComment) => ({ id: Number(c.id), body: c.body ?? '' })),

    listOpenPulls: () => listAll('listOpenPulls', 'pull requests', (api, signal) => api.request('GET /repos/{owner}/{repo}/pulls', {
      owner, repo, state: 'open', per_page: 100, request: { signal },
    }), (p: RawPull) => ({
      number: p.number, title: p.title ?? '', url: p.html_url ?? '', branch: p.head?.ref ?? '', author: p.user?.login ?? '', baseRef: p.base?.ref ?? '',
    })),

    listPullFiles: (pull) => listAll('listPullFiles', 'files', (api, signal) => api.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      owner, repo, pull_number: pull, per_page: 100, request: { signal },
    }), (f: RawFile) => ({ path: f.filename, status: f.status ?? 'modified', ...(typeof f.patch === 'string' && { patch: f.patch }) })),

    async createIssueComment(issue, body) {
      const res = await call('createIssueComment', false, (api, signal) => api.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner, repo, issue_number: issue, body, request: { signal },
      }));
      return { id: Number(res.data.id) };
    },

    async updateIssueComment(id, body) {
      await call('updateIssueComment', true, (api, signal) => api.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        owner, repo, comment_id: id, body, request: { signal },
      }));
    },

    async createDeployment(d) {
      const res = await call('createDeployment', false, (api, signal) => api.request('POST /repos/{owner}/{repo}/deployments', {
        owner, repo,
        ref: d.ref,
        environment: d.environment,
        description: d.description,
        ...(d.payload !== undefined && { payload: d.payload as Record<string, unknown> }),
        ...(d.transient !== undefined && { transient_environment: d.transient }),
        ...(d.production !== undefined && { production_environment: d.production }),
        // The run deploys the ref it was given: no merge of the default branch into it, and no
        // wait for commit statuses (the run itself is one of them).
        auto_merge: false,
        required_contexts: [],
        request: { signal },
      }));
      const data: { id?: unknown; message?: unknown } = res.data;
      if (typeof data.id !== 'number') {
        throw new GitHubError(redact(`GitHub createDeployment failed: HTTP ${res.status}: ${String(data.message ?? 'no deployment in the answer')}`), res.status, 'createDeployment', 1);
      }
      return { id: data.id };
    },

    async createDeploymentStatus(id, s) {
      // Retried like an update: a status posted twice leaves the same latest state.
      await call('createDeploymentStatus', true, (api, signal) => api.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        owner, repo, deployment_id: id,
        state: s.state,
        ...(s.description !== undefined && { description: truncate(s.description, statusDescriptionMax) }),
        ...(s.environmentUrl !== undefined && { environment_url: s.environmentUrl }),
        ...(s.logUrl !== undefined && { log_url: s.logUrl }),
        request: { signal },
      }));
    },
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
