// A project on disk with every kind of root a backup covers: a store with an execution, the
// project file, a document folder, and a directory target with a release, a `current` link and
// an executable file.
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { backupScope, type BackupScope } from '../../src/backup/scope.ts';
import { loadProject } from '../../src/project/load.ts';

export const projectYaml = `apiVersion: pluginops/v1
kind: Project
targets:
  prod: { type: directory, path: srv }
backup:
  keepDays: 7
  keepCount: 2
`;

export function makeProject(extraYaml = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-backup-'));
  const file = (path: string, text: string, mode?: number) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    if (mode !== undefined) chmodSync(join(dir, path), mode);
  };
  file('pluginops.yml', projectYaml + extraYaml);
  file('pipelines/ship.yml', 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: ship }\nspec:\n  steps:\n    - id: a\n      run: echo one\n');
  file('.pluginops/executions/e1.jsonl', '{"id":"e1","status":"success"}\n', 0o640);
  file('.pluginops/control/e1.lock', '1\n');
  file('srv/hello/releases/1.0.0-20261201T000000Z/run.sh', '#!/bin/sh\necho hello\n', 0o755);
  file('srv/hello/releases/1.0.0-20261201T000000Z/secret.txt', 'only me\n', 0o600);
  file('srv/hello/ledger.jsonl', '{"action":"deploy","version":"1.0.0"}\n');
  symlinkSync('releases/1.0.0-20261201T000000Z', join(dir, 'srv/hello/current'));
  return dir;
}

export async function scopeOf(dir: string): Promise<BackupScope> {
  return backupScope(await loadProject(dir));
}

/** A writer edge that fails with ENOSPC at the `failAt`-th write (1-based), like a disk that fills up. */
export function fullDiskAt(failAt: number) {
  let writes = 0;
  return {
    writes: () => writes,
    writer: {
      async create(path: string) {
        const { fsWriter } = await import('../../src/backup/files.ts');
        const sink = await fsWriter.create(path);
        return {
          async write(chunk: Uint8Array) {
            writes++;
            if (writes >= failAt) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
            await sink.write(chunk);
          },
          close: () => sink.close(),
        };
      },
    },
  };
}
