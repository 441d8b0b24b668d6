// Reload triggers: a change to the project file or to any document file or directory. Changes
// arriving together (an editor writes a temp file, renames it, touches the directory) are
// coalesced into one reload after a short quiet period.
//
// Every directory is watched on its own, and a file through its directory (filtered by name):
// `recursive` watching on Linux (Node 20) and watching a file directly both follow the file's
// inode, so they go deaf once an editor saves by renaming a new file over the old one. A path
// that is missing is watched for in its directory. The caller hands over the paths again after
// each reload (`watch`), which picks up new directories; a change seen meanwhile still fires.
//
// File events can be lost (a watch that cannot be opened when the system's inotify instances run
// out, a network file system that sends none, an event that lands while the watches are being
// reopened), so a poll backs them up: every `pollMs` (2 s) the files' identities (inode, size,
// mtime) are compared with what they were when the last reload was asked for, and a difference
// fires. A change seen by both ways reloads once: the identities are taken again as each reload
// is asked for.
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface PathWatch {
  /** Watches exactly these paths from now on. */
  watch(paths: readonly string[]): void;
  close(): void;
}

export function watchPaths(onChange: () => void, o: { quietMs?: number; pollMs?: number } = {}): PathWatch {
  const quietMs = o.quietMs ?? 300;
  let paths: readonly string[] = [];
  let seen: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const changed = () => { timer = undefined; seen = identities(paths); onChange(); };
  const fire = () => { clearTimeout(timer); timer = setTimeout(changed, quietMs); };
  // Only when no reload is about to be asked for: the poll never holds back one that is.
  const poll = setInterval(() => { if (timer === undefined && seen !== undefined && identities(paths) !== seen) fire(); }, o.pollMs ?? 2_000);
  poll.unref();
  let watchers: FSWatcher[] = [];
  const open = (dir: string, only?: string) => {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        const n = name === null ? undefined : String(name);
        if (only === undefined ? !n?.startsWith('.') : n === undefined || n === only) fire();
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch { /* the poll still sees its changes, and SIGHUP still reloads */ }
  };
  const closeAll = () => { for (const w of watchers) w.close(); watchers = []; };
  return {
    // Opened afresh each time (a directory may have been replaced); the quiet-period timer stays.
    watch(next) {
      paths = [...next];
      seen ??= identities(paths);
      closeAll();
      for (const p of paths) {
        let info;
        try { info = statSync(p, { throwIfNoEntry: false }); } catch { info = undefined; }
        if (info?.isDirectory()) for (const d of directories(p)) open(d);
        else open(dirname(p), basename(p)); // a file, or one that is gone for now
      }
    },
    close() { clearTimeout(timer); timer = undefined; clearInterval(poll); closeAll(); },
  };
}

/** `root` and the directories under it that documents are read from (no hidden ones, no node_modules). */
function directories(root: string): string[] {
  let entries;
  try { entries = readdirSync(root, { withFileTypes: true }); } catch { return [root]; }
  return [root, ...entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').flatMap((e) => directories(join(root, e.name)))];
}

/** One line per watched file (inode, size, mtime), or `-` when it is missing: equal text, nothing changed. */
function identities(paths: readonly string[]): string {
  const out: string[] = [];
  const file = (p: string) => {
    try {
      const s = statSync(p, { throwIfNoEntry: false });
      out.push(s ? `${p} ${s.ino} ${s.size} ${s.mtimeMs}` : `${p} -`);
    } catch { out.push(`${p} ?`); }
  };
  for (const p of paths) {
    let info;
    try { info = statSync(p, { throwIfNoEntry: false }); } catch { info = undefined; }
    if (!info?.isDirectory()) { file(p); continue; }
    for (const d of directories(p)) {
      let names: string[];
      try { names = readdirSync(d).filter((n) => !n.startsWith('.')).sort(); } catch { names = []; }
      for (const n of names) file(join(d, n));
    }
  }
  return out.join('\n');
}
