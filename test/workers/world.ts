// A project with workers: `pluginops serve` and `pluginops worker` processes on loopback, a short
// lease, and documents whose steps say on which worker they ran ($WORKER_TAG, set per worker).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliCommand } from '../cli/helpers.ts';
import { launch, type Launch } from '../serve/process.ts';

export const token = 'w-0123456789abcdef0123456789abcdef';

const project = `apiVersion: pluginops/v1
kind: Project
server:
  tokens:
    - { name: ci, token: { env: API_WRITE }, scopes: [read, write] }
workers: { lease: 3s, aging: 10m }
secrets: [DEPLOY_TOKEN]
`;

export const secret = 'SuperSecretDeployValue42';

/** Also run by two replicas on PostgreSQL (test/pg/workers-replicas.test.ts). */
export const documents = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: job }
spec:
  parameters:
    n: { type: number, required: true }
  steps:
    - id: work
      run: |
        echo "job $N on $WORKER_TAG"
        pluginops_output worker "$WORKER_TAG"
      env: { N: "\${{ params.n }}" }
---
apiVersion: pluginops/v1
kind: Workflow
metadata: { id: mixed }
spec:
  steps:
    - id: here
      run: echo "here on the server"
    - id: remote
      needs: [here]
      runsOn: [deploy]
      run: |
        echo "remote step on $WORKER_TAG with $GREETING"
        pluginops_output where "$WORKER_TAG"
      env: { GREETING: "\${{ steps.here.outcome }}" }
    - id: after
      needs: [remote]
      run: echo "after, remote ran on \${{ steps.remote.outputs.where }}"
---
apiVersion: pluginops/v1
kind: Workflow
metadata: { id: slow }
spec:
  runsOn: [python3.11]
  steps:
    - id: sleep
      run: |
        echo "slow start on $WORKER_TAG"
        sleep 4
        echo "slow end on $WORKER_TAG"
---
apiVersion: pluginops/v1
kind: Workflow
metadata: { id: fanout }
spec:
  steps:
    - id: submit
      uses: task
      with: { workflow: job, priority: critical, data: { n: 7 }, capabilities: [deploy] }
    - id: report
      needs: [submit]
      run: echo "task \${{ steps.submit.outputs.task }} \${{ steps.submit.outputs.state }} on \${{ steps.submit.outputs.worker }}"
---
apiVersion: pluginops/v1
kind: Workflow
metadata: { id: secretive }
spec:
  parameters:
    tok: { type: string, required: true }
  steps:
    - id: use
      runsOn: [deploy]
      env: { TOKEN: "\${{ params.tok }}" }
      run: |
        echo "length \${#TOKEN}"
        echo "token $TOKEN"
---
apiVersion: pluginops/v1
kind: Workflow
metadata: { id: waits }
spec:
  steps:
    - id: long
      runsOn: [deploy]
      run: sleep 30
`;

export interface WorkerProc { child: ChildProcess; out(): string; exited: Promise<number | null> }

export interface World {
  dir: string;
  env: Record<string, string>;
  serve: Launch;
  url: string;
  /** SIGTERM to serve, then a new serve on the same store and port (workers keep the same URL). */
  restartServe(): Promise<void>;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  worker(name: string, capabilities: string[], extra?: string[]): WorkerProc;
  close(): Promise<void>;
}

/** A free loopback port, so a restarted serve answers where its workers look for it. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address() as { port: number }; srv.close(() => resolve(port)); });
  });
}

export async function world(): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'pluginops-workers-'));
  await writeFile(join(dir, 'pluginops.yml'), project);
  await mkdir(join(dir, 'pipelines'));
  await writeFile(join(dir, 'pipelines', 'workflows.yml'), documents);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, API_WRITE: token, PLUGINOPS_TOKEN: token, DEPLOY_TOKEN: secret };
  const port = await freePort();
  const args = ['--port', String(port), '--host', '127.0.0.1', '--log', 'json'];
  const workers: WorkerProc[] = [];
  const w: World = {
    dir, env, serve: launch(dir, env, args), url: '',
    async restartServe() {
      w.serve.child.kill('SIGTERM');
      await w.serve.exited;
      w.serve = launch(dir, env, args);
      await w.serve.listening;
    },
    async api(method, path, body) {
      const res = await fetch(`${w.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      let parsed: unknown;
      try { parsed = JSON.parse(text); } catch { parsed = text; }
      return { status: res.status, body: parsed };
    },
    worker(name, capabilities, extra = []) {
      const child = spawn(process.execPath, [...cliCommand, 'worker', '--name', name, ...capabilities.flatMap((c) => ['--capability', c]), '--log', 'text', ...extra], {
        cwd: dir, env: { ...env, PLUGINOPS_URL: w.url, WORKER_TAG: name, PLUGINOPS_WORKER_CLAIM_WAIT_MS: '2000' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
      child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
      const exited = new Promise<number | null>((ok) => child.once('close', (code) => ok(code)));
      const proc: WorkerProc = { child, out: () => out, exited };
      workers.push(proc);
      return proc;
    },
    async close() {
      for (const p of workers) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      w.serve.child.kill('SIGTERM');
      await Promise.race([w.serve.exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (w.serve.child.exitCode === null) w.serve.child.kill('SIGKILL');
    },
  };
  w.url = await w.serve.listening;
  return w;
}

export async function eventually<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
