// The suggestions on disk: `<storeDir>/optimization.jsonl`, append-only, one whole suggestion a
// line after each change. `serve` is the only writer (the CLI steers a running serve through the
// API), so the book is read once when it opens and kept in memory after. Reading keeps the last
// line of each id; a line torn by a crash (no newline, or not JSON) is skipped. When the file has
// grown past `compactAtBytes`, opening rewrites it with one line per suggestion kept: every open
// one and the newest `keptEnded` ended ones.
import { readFile, stat } from 'node:fs/promises';
import { AppendLog, replaceFile } from '../store/append-log.ts';
import { insideRoot } from '../store/paths.ts';
import { ended, suggestionStates, type Suggestion } from './suggestion.ts';

export const bookName = 'optimization.jsonl';
export const bookPath = (storeDir: string): string => insideRoot(storeDir, bookName);
export const keptEnded = 5_000;
const defaultCompactAtBytes = 16 * 1024 * 1024;

export class SuggestionBook {
  readonly #byId: Map<string, Suggestion>;
  readonly #log: AppendLog;
  #writes: Promise<void> = Promise.resolve();

  private constructor(byId: Map<string, Suggestion>, log: AppendLog) {
    this.#byId = byId;
    this.#log = log;
  }

  static async open(path: string, o: { compactAtBytes?: number; warn?: (line: string) => void } = {}): Promise<SuggestionBook> {
    const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return ''; throw e; });
    const byId = new Map<string, Suggestion>();
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const s = parse(line);
      if (s) { byId.delete(s.id); byId.set(s.id, s); } else skipped++;
    }
    if (skipped) o.warn?.(`${path}: ${skipped} line${skipped === 1 ? '' : 's'} that are no suggestion skipped (a torn write?)`);
    const size = (await stat(path).catch(() => undefined))?.size ?? 0;
    if (size > (o.compactAtBytes ?? defaultCompactAtBytes)) {
      const all = [...byId.values()];
      const endedOnes = all.filter((s) => ended.has(s.state));
      const keep = new Set([...all.filter((s) => !ended.has(s.state)), ...endedOnes.slice(-keptEnded)]);
      for (const s of all) if (!keep.has(s)) byId.delete(s.id);
      await replaceFile(path, [...byId.values()].map((s) => `${JSON.stringify(s)}\n`).join(''));
    }
    return new SuggestionBook(byId, await AppendLog.open(path, 'any'));
  }

  get(id: string): Suggestion | undefined { return this.#byId.get(id); }

  /** Oldest change first. */
  all(): Suggestion[] { return [...this.#byId.values()]; }

  /** Replaces a suggestion in memory only (fresher evidence of the same version); the next `put` writes it. */
  touch(s: Suggestion): void { this.#byId.set(s.id, s); }

  /** Keeps the new version in memory at once and appends it; resolves once it is written. */
  put(s: Suggestion): Promise<void> {
    this.#byId.delete(s.id);
    this.#byId.set(s.id, s);
    const line = `${JSON.stringify(s)}\n`;
    this.#writes = this.#writes.then(() => this.#log.append([line]));
    return this.#writes;
  }

  async close(): Promise<void> {
    await this.#writes.catch(() => undefined);
    await this.#log.close();
  }
}

const states: ReadonlySet<string> = new Set(suggestionStates);

function parse(line: string): Suggestion | undefined {
  try {
    const v = JSON.parse(line) as Partial<Suggestion> | null;
    if (!v || typeof v !== 'object' || typeof v.id !== 'string' || typeof v.key !== 'string' || !states.has(v.state as string) || typeof v.version !== 'number') return undefined;
    return v as Suggestion;
  } catch {
    return undefined;
  }
}
