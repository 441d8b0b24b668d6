// A Spawner backed by long-lived bash workers. Forking the Node process for every step copies
// its page tables on the main thread (milliseconds for a large process); a small bash worker
// forks in a fraction of that. Each worker runs one job at a time, in its own process group
// (job control on), so cancellation signals the job's tree exactly as the per-step spawner does.
//
// Worker file descriptors: 0 jobs in, 1 the job's stdout, 2 the worker's own noise (ignored),
// 3 control out ("started PID", "exit CODE"), 4 the job's stderr. A job is shell text whose every
// value is single-quoted, followed by a line holding the worker's random end marker. After a job,
// the worker prints the marker on the job's stdout and stderr, so Node knows where its output ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { signalTree, spawnProcess, type SpawnRequest, type SpawnResult, type Spawner } from './spawn.ts';

const readOnly = new Set(['SHELLOPTS', 'BASHOPTS', 'BASH_VERSINFO', 'EUID', 'PPID', 'UID', 'GROUPS', 'BASHPID']);

/** Variables bash sets for itself; a job gets the values its own environment says. */
const shellOwned = new Set(['OLDPWD', 'PWD', 'SHLVL', '_']);

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Read-only names are left out, as bash would ignore them; other names are all identifiers (see `spawn`). */
const exportable = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).filter(([k]) => identifier.test(k) && !readOnly.has(k)));

/** A name bash cannot `export` (`a-b`, `a.b`): such an environment goes to a process of its own. */
const needsOwnProcess = (env: Record<string, string>) => Object.keys(env).some((k) => !identifier.test(k));

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const driver = `set -m
nl='
'
while :; do
  spec=
  while :; do
    IFS= read -r line || exit 0
    [ "$line" = "$PLUGINOPS_END" ] && break
    spec="$spec$line$nl"
  done
  ( eval "$spec" ) </dev/null 2>&4 3>&- 4>&- &
  pid=$!
  printf 'started %s\\n' "$pid" >&3
  wait "$pid"
  code=$?
  printf '%s\\n' "$PLUGINOPS_END"
  printf '%s\\n' "$PLUGINOPS_END" >&4
  printf 'exit %s\\n' "$code" >&3
done`;

interface Job {
  req: SpawnRequest;
  resolve: (r: SpawnResult) => void;
  pid?: number;
  exit?: number;
  ended: { out: boolean; err: boolean };
  killTimer?: NodeJS.Timeout;
}


class Worker {
  readonly child: ChildProcess;
  readonly marker = `__pluginops_end_${randomBytes(12).toString('hex')}__`;
  job?: Job;
  retired = false;

  /** The environment the worker was started with; jobs send only what differs from it. */
  private readonly baseEnv: Record<string, string>;

  constructor(bash: string, env: Record<string, string>, private readonly onFree: (w: Worker) => void, private readonly onGone: (w: Worker) => void) {
    this.baseEnv = exportable(env);
    this.child = spawn(bash, ['--noprofile', '--norc', '-c', driver], {
      env: { ...this.baseEnv, PLUGINOPS_END: this.marker }, stdio: ['pipe', 'pipe', 'ignore', 'pipe', 'pipe'],
    });
    this.child.stdin!.on('error', () => undefined);
    this.lines(this.child.stdout!, 'out');
    this.lines(this.child.stdio[4] as Readable, 'err');
    this.lines(this.child.stdio[3] as Readable, 'control');
    this.child.on('exit', (code, signal) => this.gone(code, signal));
    this.child.on('error', () => this.gone(null, null));
  }

  run(job: Job): void {
    this.job = job;
    const { req } = job;
    // bash reads its input a byte at a time: send only what differs from the worker's environment.
    const env = exportable(req.env);
    const removed = Object.keys(this.baseEnv).filter((k) => !(k in env));
    const changed = Object.entries(env).filter(([k, v]) => this.baseEnv[k] !== v || shellOwned.has(k));
    const unset = ['PLUGINOPS_END', ...removed, ...[...shellOwned].filter((k) => !(k in env))];
    const spec = [
      `unset ${unset.join(' ')}`,
      ...changed.map(([k, v]) => `export ${k}=${quote(v)}`),
      `cd ${quote(req.cwd)} || exit 126`,
      `exec ${[req.command, ...req.args].map(quote).join(' ')}`,
      this.marker,
    ].join('\n') + '\n';
    (this.child.stdin as Writable).write(spec);
    if (req.signal.aborted) this.abort(); else req.signal.addEventListener('abort', this.abort, { once: true });
  }

  private readonly abort = () => {
    const job = this.job;
    if (!job?.pid) return; // signalled as soon as the pid arrives
    const seen = signalTree(job.pid, 'SIGTERM');
    job.killTimer = setTimeout(() => { for (const p of [...seen, ...signalTree(job.pid!, 'SIGKILL')]) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } } }, job.req.killGraceMs);
    job.killTimer.unref();
  };

  private lines(stream: Readable, kind: 'out' | 'err' | 'control'): void {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      rest += chunk;
      for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n')) {
        const line = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        this.line(kind, line);
      }
      // A last line without a newline, followed at once by the marker.
      if (kind !== 'control' && rest.includes(this.marker)) { const at = rest.indexOf(this.marker); this.line(kind, rest.slice(0, at)); rest = rest.slice(at); }
    });
    stream.on('error', () => undefined);
  }

  private line(kind: 'out' | 'err' | 'control', line: string): void {
    const job = this.job;
    if (!job) return;
    if (kind === 'control') {
      const [word, value] = line.split(' ');
      if (word === 'started') {
        job.pid = Number(value);
        if (job.req.signal.aborted) this.abort();
      } else if (word === 'exit') job.exit = Number(value);
    } else {
      const at = line.indexOf(this.marker);
      if (at >= 0) {
        if (at > 0) job.req.onLine(kind === 'out' ? 'stdout' : 'stderr', line.slice(0, at));
        job.ended[kind] = true;
      } else if (!job.ended[kind]) {
        job.req.onLine(kind === 'out' ? 'stdout' : 'stderr', line.replace(/\r$/, ''));
      }
    }
    if (job.exit !== undefined && job.ended.out && job.ended.err) this.finish(job);
  }

  private finish(job: Job): void {
    this.job = undefined;
    job.req.signal.removeEventListener('abort', this.abort);
    // A pending SIGKILL stays armed: what ignored SIGTERM must still die at the end of the grace period.
    const code = job.exit!;
    const signal = code > 128 ? Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] as NodeJS.Signals | undefined : undefined;
    // Processes the job left behind in its group still hold this worker's pipes: retire it.
    if (job.pid !== undefined && groupAlive(job.pid)) this.retire();
    job.resolve(signal ? { exitCode: null, signal } : { exitCode: code, signal: null });
    if (!this.retired) this.onFree(this);
  }

  retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.onGone(this);
    this.child.stdin?.end();
    for (const s of [this.child.stdout, this.child.stdio[3], this.child.stdio[4]]) (s as Readable | null)?.destroy();
  }

  private gone(code: number | null, signal: NodeJS.Signals | null): void {
    const job = this.job;
    this.job = undefined;
    this.retire();
    if (job) {
      job.req.signal.removeEventListener('abort', this.abort);
      job.resolve({ exitCode: job.exit ?? code, signal: job.exit === undefined ? signal ?? 'SIGKILL' : null });
    }
  }
}

const groupAlive = (pgid: number) => { try { process.kill(-pgid, 0); return true; } catch { return false; } };

export interface ShellPool {
  spawn: Spawner;
  close(): void;
}

/** Up to `size` bash workers, started on demand; requests beyond them wait for a free one. */
export function shellPool(bash: string, size: number): ShellPool {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const waiting: Job[] = [];
  let closed = false;

  const free = (w: Worker) => {
    if (closed) { w.retire(); return; }
    const next = waiting.shift();
    if (next) w.run(next); else idle.push(w);
  };
  const gone = (w: Worker) => {
    all.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    const next = waiting.shift();
    if (next) start(next);
  };
  const start = (job: Job) => {
    const w = idle.pop() ?? (all.size < size && !closed ? new Worker(bash, job.req.env, free, gone) : undefined);
    if (!w) { waiting.push(job); return; }
    all.add(w);
    w.run(job);
  };

  return {
    spawn: (req) => {
      if (closed || needsOwnProcess(req.env)) return spawnProcess(req);
      return new Promise((resolve) => start({ req, resolve, ended: { out: false, err: false } }));
    },
    close: () => {
      closed = true;
      for (const w of all) if (!w.job) w.retire();
    },
  };
}
