// The process spawner a run uses: a pool of bash workers when bash is there, per-step spawn
// otherwise. Whoever creates it closes it when the run is over.
import { isAbsolute } from 'node:path';
import { locate } from './shell.ts';
import { shellPool } from './shell-pool.ts';
import { spawnProcess, type Spawner } from './spawn.ts';

export interface ProcessEdge {
  spawn: Spawner;
  close(): void;
}

export function processEdge(parallelism: number, path: string | undefined): ProcessEdge {
  const bash = locate('bash', path);
  if (!isAbsolute(bash)) return { spawn: spawnProcess, close: () => undefined };
  return shellPool(bash, parallelism);
}
