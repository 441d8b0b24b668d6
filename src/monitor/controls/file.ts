// The controls on disk: `<store>/controls.json`, one small JSON file replaced atomically (temp
// file, fsync, rename, fsync of the directory) while holding `<store>/controls.json.lock`, so a
// crash leaves the previous file or the next one, and two writers never interleave. A file that
// cannot be read or is not a controls file stops the start with an error naming it: controls
// that silently vanished would resume what people paused.
import { mkdir, readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { PluginopsError } from '../../errors/base.ts';
import { replaceFile } from '../../store/append-log.ts';
import { withLockFile } from '../../store/lock.ts';
import { insideRoot } from '../../store/paths.ts';
import { ControlsState, emptyControls } from './model.ts';

export const controlsFileName = 'controls.json';

export class ControlsFileError extends PluginopsError {
  readonly code = 'E_CONTROLS_FILE';
  readonly kind = 'failed';
  override name = 'ControlsFileError';
}

/** Where controls are kept; `memoryControlsFile` for tests. */
export interface ControlsFile {
  readonly path: string;
  load(): Promise<ControlsState>;
  save(state: ControlsState): Promise<void>;
}

export function controlsFile(storeDir: string): ControlsFile {
  const path = insideRoot(storeDir, controlsFileName);
  return {
    path,
    async load() {
      let text: string;
      try { text = await readFile(path, 'utf8'); } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyControls();
        throw new ControlsFileError(`cannot read the run-time controls file ${path}: ${(e as Error).message}`);
      }
      let value: unknown;
      try { value = JSON.parse(text); } catch (e) {
        throw new ControlsFileError(`the run-time controls file ${path} is not valid JSON (${(e as Error).message}); fix it, or move it away to start with no pauses, self-healing on and no maintenance`);
      }
      if (!Value.Check(ControlsState, value)) {
        const first = [...Value.Errors(ControlsState, value)][0];
        throw new ControlsFileError(`the run-time controls file ${path} is not a controls file of version 1 (${first ? `${first.path || '/'}: ${first.message}` : 'unexpected shape'}); fix it, or move it away to start with no pauses, self-healing on and no maintenance`);
      }
      return value;
    },
    async save(state) {
      await mkdir(storeDir, { recursive: true });
      await withLockFile(`${path}.lock`, () => replaceFile(path, `${JSON.stringify(state, null, 2)}\n`));
    },
  };
}

export function memoryControlsFile(initial?: ControlsState): ControlsFile & { readonly saved: ControlsState | undefined } {
  let saved = initial ? structuredClone(initial) : undefined;
  return {
    path: 'memory:controls.json',
    get saved() { return saved; },
    async load() { return saved ? structuredClone(saved) : emptyControls(); },
    async save(s) { saved = structuredClone(s); },
  };
}
