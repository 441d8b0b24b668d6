// Real git for the journal tests: an isolated environment (no user or system configuration, no
// prompts) and the `run` edge over execFile with argument arrays.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEdges } from '../../src/journal/git-journal.ts';

const isolated = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
export const env = { ...isolated, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };

export const edges: JournalEdges = {
  run: (args, cwd) => new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') { reject(err); return; }
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  }),
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export const tempDir = (what: string) => mkdtempSync(join(tmpdir(), `pluginops-journal-${what}-`));

/** An empty repository on `main` (no commits yet). */
export function emptyRepo(): string {
  const dir = tempDir('repo');
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}
