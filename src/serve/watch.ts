// Reload triggers: a change to the project file or to any document file or directory. Changes
// arriving together (an editor writes a temp file, renames it, touches the directory) are
// coalesced into one reload after a short quiet period.
import { existsSync, watch, type FSWatcher } from 'node:fs';

export function watchPaths(paths: readonly string[], onChange: () => void, quietMs = 300): () => void {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => { clearTimeout(timer); timer = setTimeout(onChange, quietMs); };
  const watchers: FSWatcher[] = [];
  for (const p of paths) {
    if (!existsSync(p)) continue;
    try {
      const w = watch(p, { recursive: true, persistent: false }, fire);
      w.on('error', () => undefined);
      watchers.push(w);
    } catch { /* a path that cannot be watched still reloads on SIGHUP */ }
  }
  return () => { clearTimeout(timer); for (const w of watchers) w.close(); };
}
