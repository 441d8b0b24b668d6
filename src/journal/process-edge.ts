// The journal's git edge on this machine: `git` run with argument arrays (never shell text), in
// the environment given, with a bounded output buffer.
import { execFile } from 'node:child_process';
import type { JournalEdges } from './types.ts';

export function gitProcess(env: Readonly<Record<string, string | undefined>>): JournalEdges {
  return {
    run: (args, cwd) => new Promise((resolve, reject) => {
      execFile('git', args, { cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') { reject(err); return; }
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
      });
    }),
  };
}
