// A fake GitHub REST API on node:http (127.0.0.1, a free port), for tests of the action's GitHub
// side. It speaks GitHub's wire format for exactly these endpoints:
//
//   GET   /repos/{owner}/{repo}/issues/{n}/comments?per_page=&page=   200, array, `link` header
//   POST  /repos/{owner}/{repo}/issues/{n}/comments                   201, { id, body, … }
//   PATCH /repos/{owner}/{repo}/issues/comments/{id}                  200, { id, body, … }
//   POST  /repos/{owner}/{repo}/deployments                           201, { id, ref, environment, … }
//   POST  /repos/{owner}/{repo}/deployments/{id}/statuses             201, { id, state, … }
//   GET   /repos/{owner}/{repo}/pulls?state=&per_page=&page=         200, array (newest first), `link` header
//   GET   /repos/{owner}/{repo}/pulls/{n}/files?per_page=&page=      200, array, `link` header; 404 for no such pull
//
// Like GitHub, `link` URLs name the repository by id (/repositories/{id}/…), and those paths are
// served too. Anything else is a 404; a missing `body`/`ref`/`state` is a 422. Every request needs
// `authorization: token …` or `Bearer …` (401 otherwise; with `token` given, only that token).
//
// Use:
//   const gh = await startFakeGitHub();            // or startFakeGitHub({ token, owner, repo })
//   octokitPort({ token: 't', owner: 'o', repo: 'r', baseUrl: gh.url });
//   gh.requests          every request: method, path (with query), body (parsed JSON), headers, status answered
//   gh.comments(7)       the comments on issue 7, oldest first: { id, body, … }
//   gh.deployments       every deployment created, with the fields posted
//   gh.statuses(id)      the statuses posted to a deployment, oldest first
//   gh.seedComments(7, ['a', 'b'])   adds comments without a request (to test paging, or an old comment)
//   gh.seedPull({ number: 12, title, branch, base, author, files: [{ filename, patch?, status? }] })
//                        adds a pull request (open unless `state: 'closed'`) with the files it changes;
//                        a file without `patch` is served without one, as GitHub does for binary files
//   gh.failNext(2, 500)  the next 2 requests, whatever they are, get a 500 (still recorded);
//   gh.failNext(1, 403, { 'retry-after': '3' })   a secondary rate limit;
//   gh.failNext(1, 'drop')   the next request is read, then its connection closed with no answer
//   await gh.close()
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** The JSON body parsed, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** What the fake answered; 'drop' for a closed connection. */
  status: number | 'drop';
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface FakeDeployment {
  id: number;
  ref: string;
  environment: string;
  description: string | null;
  payload: unknown;
  transient_environment: boolean;
  production_environment: boolean;
  /** Every field as posted (auto_merge, required_contexts, …). */
  posted: Record<string, unknown>;
}

export interface FakeStatus {
  id: number;
  state: string;
  description: string;
  environment_url: string;
  log_url: string;
}

export interface FakePullFile {
  filename: string;
  /** Omitted from the answer when absent (binary or very large files). */
  patch?: string;
  /** Default `modified`. */
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
}

export interface FakePullSeed {
  number: number;
  title?: string;
  /** The head branch; default `topic-{number}`. */
  branch?: string;
  /** The base branch; default `main`. */
  base?: string;
  author?: string;
  state?: 'open' | 'closed';
  files?: FakePullFile[];
}

export interface FakeGitHub {
  /** The API root, to pass as baseUrl. */
  url: string;
  requests: FakeRequest[];
  comments(issue: number): FakeComment[];
  deployments: FakeDeployment[];
  statuses(deploymentId: number): FakeStatus[];
  seedComments(issue: number, bodies: string[]): FakeComment[];
  seedPull(pull: FakePullSeed): void;
  failNext(n: number, status: number | 'drop', headers?: Record<string, string>, message?: string): void;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** Accept only this token (default: any non-empty one). */
  token?: string;
  /** Serve only this repository (default: any owner/repo). */
  owner?: string;
  repo?: string;
}

const repositoryId = 123456;
const docs = 'https://docs.github.com/rest';
const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
const defaultMessages: Record<number, string> = {
  403: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  429: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  404: 'Not Found',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

type FakePull = Required<Omit<FakePullSeed, 'files'>> & { files: FakePullFile[]; sha: string; created_at: string };

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const fail = (status: number, message: string): Reply => ({ status, body: { message, documentation_url: docs, status: String(status) } });
const str = (v: unknown): v is string => typeof v === 'string';

export async function startFakeGitHub(o: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const deployments: FakeDeployment[] = [];
  const statuses = new Map<number, FakeStatus[]>();
  const pulls = new Map<number, FakePull>();
  const failures: Array<{ status: number | 'drop'; headers: Record<string, string>; message?: string }> = [];
  let nextId = 1000;
  let url = '';
  /** The one repository served: the one last named in a path (/repositories/{id} paths mean it). */
  let named = { owner: o.owner ?? 'owner', repo: o.repo ?? 'repo' };

  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const addComment = (issue: number, body: string): FakeComment => {
    const t = now();
    const c: FakeComment = { id: ++nextId, issue, body, created_at: t, updated_at: t };
    comments.push(c);
    return c;
  };
  const commentJson = (owner: string, repo: string, c: FakeComment) => ({
    id: c.id, node_id: `IC_${c.id}`, url: `${url}/repos/${owner}/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${c.issue}#issuecomment-${c.id}`,
    body: c.body, user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    created_at: c.created_at, updated_at: c.updated_at, issue_url: `${url}/repos/${owner}/${repo}/issues/${c.issue}`,
    author_association: 'NONE',
  });

  /** One page of `all`, with GitHub's `link` header naming the repository by id; `keep` is the query carried to every page. */
  function paged(all: unknown[], path: string, query: URLSearchParams, keep = ''): Reply {
    const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30) || 30, 1), 100);
    const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const at = (p: number) => `<${url}/repositories/${repositoryId}${path}?${keep}per_page=${perPage}&page=${p}>`;
    const links = [
      ...(page > 1 ? [`${at(page - 1)}; rel="prev"`] : []),
      ...(page < last ? [`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`] : []),
      ...(page > 1 ? [`${at(1)}; rel="first"`] : []),
    ];
    const body = all.slice((page - 1) * perPage, page * perPage);
    return { status: 200, body, headers: links.length ? { link: links.join(', ') } : {} };
  }

  function listComments(owner: string, repo: string, issue: number, query: URLSearchParams): Reply {
    const all = comments.filter((c) => c.issue === issue).map((c) => commentJson(owner, repo, c));
    return paged(all, `/issues/${issue}/comments`, query);
  }

  const pullJson = (owner: string, repo: string, p: FakePull) => ({
    url: `${url}/repos/${owner}/${repo}/pulls/${p.number}`, id: p.number * 1000, node_id: `PR_${p.number}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${p.number}`, number: p.number, state: p.state, locked: false,
    title: p.title, user: { login: p.author, id: 1, type: 'User' }, body: null, draft: false,
    created_at: p.created_at, updated_at: p.created_at, closed_at: null, merged_at: null,
    head: { label: `${owner}:${p.branch}`, ref: p.branch, sha: p.sha, user: { login: owner }, repo: { name: repo } },
    base: { label: `${owner}:${p.base}`, ref: p.base, sha: 'b'.repeat(40), user: { login: owner }, repo: { name: repo } },
    author_association: 'CONTRIBUTOR',
  });

  const fileJson = (owner: string, repo: string, p: FakePull, f: FakePullFile) => {
    const changed = (f.patch ?? '').split('\n').filter((l) => !l.startsWith('@@'));
    const additions = changed.filter((l) => l.startsWith('+')).length;
    const deletions = changed.filter((l) => l.startsWith('-')).length;
    const at = `https://github.com/${owner}/${repo}`;
    return {
      sha: 'f'.repeat(40), filename: f.filename, status: f.status ?? 'modified', additions, deletions, changes: additions + deletions,
      blob_url: `${at}/blob/${p.sha}/${f.filename}`, raw_url: `${at}/raw/${p.sha}/${f.filename}`,
      contents_url: `${url}/repos/${owner}/${repo}/contents/${f.filename}?ref=${p.sha}`,
      ...(f.patch !== undefined && { patch: f.patch }),
    };
  };

  function listPulls(owner: string, repo: string, query: URLSearchParams): Reply {
    const state = query.get('state') ?? 'open';
    const all = [...pulls.values()].filter((p) => state === 'all' || p.state === state)
      .sort((a, b) => b.number - a.number).map((p) => pullJson(owner, repo, p));
    return paged(all, '/pulls', query, `state=${encodeURIComponent(state)}&`);
  }

  function route(method: string, path: string, body: unknown): Reply {
    const u = new URL(path, 'http://fake');
    const byName = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(u.pathname);
    const byId = /^\/repositories\/(\d+)(\/.*)$/.exec(u.pathname);
    if (byName) {
      if ((o.owner && byName[1] !== o.owner) || (o.repo && byName[2] !== o.repo)) return fail(404, 'Not Found');
      named = { owner: byName[1] ?? '', repo: byName[2] ?? '' };
    } else if (!byId || Number(byId[1]) !== repositoryId) {
      return fail(404, 'Not Found');
    }
    const { owner, repo } = named;
    const rest = (byName ? byName[3] : byId?.[2]) ?? '';
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    let r: RegExpExecArray | null;

    if ((r = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(r[1]);
      if (method === 'GET') return listComments(owner, repo, issue, u.searchParams);
      if (method === 'POST') {
        if (!str(fields.body)) return fail(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
        const c = addComment(issue, fields.body);
        return { status: 201, body: commentJson(owner, repo, c), headers: { location: `${url}/repos/${owner}/${repo}/issues/comments/${c.id}` } };
      }
    }
    if (rest === '/pulls' && method === 'GET') return listPulls(owner, repo, u.searchParams);
    if ((r = /^\/pulls\/(\d+)\/files$/.exec(rest)) && method === 'GET') {
      const p = pulls.get(Number(r[1]));
      if (!p) return fail(404, 'Not Found');
      return paged(p.files.map((f) => fileJson(owner, repo, p, f)), `/pulls/${p.number}/files`, u.searchParams);
    }
    if ((r = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      const id = Number(r[1]);
      const c = comments.find((x) => x.id === id);
      if (!c) return fail(404, 'Not Found');
      if (!str(fields.body)) return fail(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
      c.body = fields.body;
      c.updated_at = now();
      return { status: 200, body: commentJson(owner, repo, c) };
    }
    if (rest === '/deployments' && method === 'POST') {
      if (!str(fields.ref)) return fail(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
      const environment = str(fields.environment) ? fields.environment : 'production';
      const d: FakeDeployment = {
        id: ++nextId, ref: fields.ref, environment,
        description: str(fields.description) ? fields.description : null,
        payload: fields.payload ?? {},
        transient_environment: fields.transient_environment === true,
        production_environment: typeof fields.production_environment === 'boolean' ? fields.production_environment : environment === 'production',
        posted: fields,
      };
      deployments.push(d);
      statuses.set(d.id, []);
      const t = now();
      return {
        status: 201,
        body: {
          id: d.id, node_id: `DE_${d.id}`, url: `${url}/repos/${owner}/${repo}/deployments/${d.id}`,
          sha: 'a'.repeat(40), ref: d.ref, task: str(fields.task) ? fields.task : 'deploy', payload: d.payload,
          original_environment: environment, environment, description: d.description,
          creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }, created_at: t, updated_at: t,
          statuses_url: `${url}/repos/${owner}/${repo}/deployments/${d.id}/statuses`,
          repository_url: `${url}/repos/${owner}/${repo}`,
          transient_environment: d.transient_environment, production_environment: d.production_environment,
        },
      };
    }
    if ((r = /^\/deployments\/(\d+)\/statuses$/.exec(rest)) && method === 'POST') {
      const id = Number(r[1]);
      const list = statuses.get(id);
      if (!list) return fail(404, 'Not Found');
      if (!str(fields.state) || !states.includes(fields.state)) return fail(422, `Invalid request.\n\n"state" must be one of ${states.join(', ')}.`);
      const s: FakeStatus = {
        id: ++nextId, state: fields.state,
        description: str(fields.description) ? fields.description : '',
        environment_url: str(fields.environment_url) ? fields.environment_url : '',
        log_url: str(fields.log_url) ? fields.log_url : '',
      };
      list.push(s);
      const d = deployments.find((x) => x.id === id);
      return {
        status: 201,
        body: {
          ...s, node_id: `DES_${s.id}`, url: `${url}/repos/${owner}/${repo}/deployments/${id}/statuses/${s.id}`,
          target_url: s.log_url, environment: d?.environment, creator: { login: 'github-actions[bot]' },
          created_at: now(), updated_at: now(), deployment_url: `${url}/repos/${owner}/${repo}/deployments/${id}`,
          repository_url: `${url}/repos/${owner}/${repo}`,
        },
      };
    }
    return fail(404, 'Not Found');
  }

  function authorized(headers: IncomingHttpHeaders): Reply | undefined {
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (!headers.authorization) return fail(401, 'Requires authentication');
    if (!m || (o.token !== undefined && m[1] !== o.token)) return fail(401, 'Bad credentials');
    return undefined;
  }

  const send = (res: ServerResponse, reply: Reply) => {
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.body));
  };

  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { text += chunk; });
    req.on('end', () => {
      let body: unknown = undefined;
      if (text) { try { body = JSON.parse(text); } catch { body = text; } }
      const seen: FakeRequest = { method: req.method ?? '', path: req.url ?? '', body, headers: req.headers, status: 0 };
      requests.push(seen);
      const failure = failures.shift();
      if (failure?.status === 'drop') { seen.status = 'drop'; req.socket.destroy(); return; }
      const reply = failure
        ? { ...fail(failure.status, failure.message ?? defaultMessages[failure.status] ?? 'Error'), headers: failure.headers }
        : authorized(req.headers) ?? route(seen.method, seen.path, body);
      seen.status = reply.status;
      send(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    comments: (issue) => comments.filter((c) => c.issue === issue),
    deployments,
    statuses: (id) => statuses.get(id) ?? [],
    seedComments: (issue, bodies) => bodies.map((b) => addComment(issue, b)),
    seedPull(p) {
      pulls.set(p.number, {
        number: p.number, title: p.title ?? `Pull request ${p.number}`, branch: p.branch ?? `topic-${p.number}`,
        base: p.base ?? 'main', author: p.author ?? 'octocat', state: p.state ?? 'open', files: p.files ?? [],
        sha: p.number.toString(16).padStart(40, 'c'), created_at: now(),
      });
    },
    failNext(n, status, headers = {}, message) {
      for (let i = 0; i < n; i++) failures.push({ status, headers, ...(message !== undefined && { message }) });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
