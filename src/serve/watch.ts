// Reload triggers: a change to the project file or to any document file or directory. Changes
// arriving together (an editor writes a temp file, renames it, touches the directory) are
// coalesced into one reload after a short quiet period.
//
// Every directory is watched on its own, and a file through its directory (filtered by name):
// `recursive` watching on Linux (Node 20) and watching a file directly both follow the file's
// inode, so they go deaf once an editor saves by renaming a new file over the old one. A path
// that is missing is watched for in its directory. The caller hands over the paths again after
// each reload (`watch`), which picks up new directories; a change seen meanwhile still fires.
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface PathWatch {
  /** Watches exactly these paths from now on. */
  watch(paths: readonly string[]): void;
  close(): void;
}

export function watchPaths(onChange: () => void, quietMs = 300): PathWatch {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => { clearTimeout(timer); timer = setTimeout(onChange, quietMs); };
  let watchers: FSWatcher[] = [];
  const open = (dir: string, only?: string) => {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        const n = name === null ? undefined : String(name);
        if (only === undefined ? !n?.startsWith('.') : n === undefined || n === only) fire();
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch { /* a path that cannot be watched still reloads on SIGHUP */ }
  };
  const closeAll = () => { for (const w of watchers) w.close(); watchers = []; };
  return {
    // Opened afresh each time (a directory may have been replaced); the quiet-period timer stays.
    watch(paths) {
      closeAll();
      for (const p of paths) {
        let info;
        try { info = statSync(p, { throwIfNoEntry: false }); } catch { info = undefined; }
        if (info?.isDirectory()) for (const d of directories(p)) open(d);
        else open(dirname(p), basename(p)); // a file, or one that is gone for now
      }
    },
    close() { clearTimeout(timer); closeAll(); },
  };
}

/** `root` and the directories under it that documents are read from (no hidden ones, no node_modules). */
function directories(root: string): string[] {
  let entries;
  try { entries = readdirSync(root, { withFileTypes: true }); } catch { return [root]; }
  return [root, ...entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').flatMap((e) => directories(join(root, e.name)))];
}
