// The journal's git edge on this machine: the project's one way of running git
// (project/changed/git.ts: argument arrays, never a shell, no prompts), in the environment given.
import { runGit } from '../project/changed/git.ts';
import type { JournalEdges } from './types.ts';

export function gitProcess(env: Readonly<Record<string, string | undefined>>): JournalEdges {
  return {
    run: async (args, cwd) => {
      const r = await runGit(args, { cwd, env });
      return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
    },
  };
}
