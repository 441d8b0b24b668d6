// git as an edge: one function that runs `git ARGS` (never through a shell) and returns its
// output, so tests and callers can pass their own. Refs are checked before they reach git.
import { spawn } from 'node:child_process';
import { PluginopsError } from '../../errors/base.ts';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitRequest {
  cwd: string;
  /** Written to git's standard input (for `cat-file --batch`). */
  input?: string;
  signal?: AbortSignal;
  /** The environment git runs in (this process's unless given). */
  env?: Readonly<Record<string, string | undefined>>;
}

export type RunGit = (args: string[], req: GitRequest) => Promise<GitResult>;

export class GitError extends PluginopsError {
  readonly code = 'E_GIT';
  readonly kind = 'failed';
}

export const runGit: RunGit = (args, req) => new Promise((resolve, reject) => {
  const child = spawn('git', args, {
    cwd: req.cwd, signal: req.signal, stdio: ['pipe', 'pipe', 'pipe'],
    // Never prompt for credentials, never take an optional lock on the index.
    env: { ...(req.env ?? process.env), GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.once('error', (e: NodeJS.ErrnoException) => reject(new GitError(
    e.code === 'ENOENT' ? 'git is not installed or not on PATH' : `could not run git: ${e.message}`)));
  child.once('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr }));
  child.stdin.on('error', () => { /* git may exit before reading all input; its exit code says why */ });
  child.stdin.end(req.input ?? '');
});

// Branch and tag names, remote refs, SHAs and revision suffixes such as HEAD~1, main^ or
// @{upstream}; nothing that git could read as an option, a range or a `rev:path`.
const refPattern = /^[A-Za-z0-9_@][A-Za-z0-9_@./{}^~+-]*$/;

/** Why `ref` is not accepted as a git revision, or undefined when it is. */
export function refProblem(ref: string): string | undefined {
  if (ref.startsWith('-')) return `"${ref}" starts with "-", which git would read as an option; expected a branch, tag or commit`;
  if (ref.length > 255 || !refPattern.test(ref) || ref.includes('..')) {
    return `"${ref}" is not a plain git revision; expected a branch, tag or commit such as origin/main, v1.2.0 or HEAD~1`;
  }
  return undefined;
}
