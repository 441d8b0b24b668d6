// A metrics file for `pluginops optimize analyze --metrics FILE`: samples per plugin and metric,
// as CSV (`timestamp,plugin,metric,value`, read line by line) or JSON (`{ "series": [...] }`,
// when the first character that is not a space is `{`). The answer maps
// `${plugin}\u0000${metric}` to its samples in time order. Bad input is one error listing its
// problems as `file:line:col: …` (or `file: series[3].samples[10]: …` for the shape of JSON),
// the first 20 in full and then "… and N more". Cost is bounded by the file: its size is checked
// before it is read, CSV lines are never held whole past a limit, and series and samples are
// capped. Never throws.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PluginopsError, type ErrorLocation } from '../../errors/base.ts';
import type { Sample } from '../analysis/types.ts';
import { readCsv } from './file-csv.ts';
import { readJson } from './file-json.ts';
import { defaultFileLimits, SeriesCollector, type FileLimits, type FileProblem } from './file-series.ts';
import { reason } from './proc.ts';

export { defaultFileLimits, seriesKey, type FileLimits, type FileProblem } from './file-series.ts';

export type MetricsFile =
  | { ok: true; series: Map<string, Sample[]> }
  | { ok: false; error: string; problems: FileProblem[]; more: number };

/** A size as people read it: bytes, KiB or MiB with one decimal. */
function shownSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [n, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 / 1024, 'MiB'];
  return `${Math.round(n * 10) / 10} ${unit}`;
}

export async function readMetricsFile(file: string, limits: Partial<FileLimits> = {}): Promise<MetricsFile> {
  const l: FileLimits = { ...defaultFileLimits, ...limits };
  const fail = (message: string) => failed(file, [{ message }], 0);
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) return fail('is not a file');
    size = s.size;
  } catch (e) { return fail(`cannot read the metrics file: ${reason(e)}`); }
  if (size > l.maxBytes) return fail(`is ${shownSize(size)}; metrics files of at most ${shownSize(l.maxBytes)} are read`);
  const into = new SeriesCollector(l);
  try {
    const first = await firstCharacter(file);
    if (first === undefined) return fail('is empty; expected CSV with the header `timestamp,plugin,metric,value` or JSON `{ "series": [...] }`');
    if (first === '{') {
      if (size > l.maxJsonBytes) return fail(`is ${shownSize(size)} of JSON; JSON metrics files of at most ${shownSize(l.maxJsonBytes)} are read (CSV is read line by line, up to ${shownSize(l.maxBytes)})`);
      const handle = await open(file);
      try { readJson(await handle.readFile('utf8'), into); } finally { await handle.close(); }
    } else {
      const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
      try { await readCsv(stream, into); } finally { stream.destroy(); }
    }
  } catch (e) { return fail(`cannot read the metrics file: ${reason(e)}`); }
  if (into.problems.length) return failed(file, into.problems, into.more);
  return { ok: true, series: into.sorted() };
}

/** The first character that is not white space (nor a BOM) in the file's first 4 KiB. */
async function firstCharacter(file: string): Promise<string | undefined> {
  const handle = await open(file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const m = /[^\s\uFEFF]/.exec(buffer.subarray(0, bytesRead).toString('utf8'));
    return m?.[0] ?? (bytesRead === 4096 ? '' : undefined);
  } finally { await handle.close(); }
}

function failed(file: string, problems: FileProblem[], more: number): MetricsFile {
  return { ok: false, error: formatProblems(file, problems, more), problems, more };
}

/** One line per problem, `file:line:col: message` or `file: path: message`, then "… and N more". */
export function formatProblems(file: string, problems: readonly FileProblem[], more: number): string {
  const lines = problems.map((p) => {
    if (p.line !== undefined) return `${file}:${p.line}:${p.col ?? 1}: ${p.message}`;
    return p.path !== undefined ? `${file}: ${p.path}: ${p.message}` : `${file}: ${p.message}`;
  });
  if (more > 0) lines.push(`… and ${more} more`);
  return lines.join('\n');
}

/** A metrics file that could not be read, for a command to throw: its problems and where the first is. */
export class MetricsFileError extends PluginopsError {
  readonly code = 'E_METRICS_FILE';
  readonly kind = 'invalid';
  constructor(readonly file: string, readonly problems: readonly FileProblem[], message: string) { super(message); }
  override get location(): ErrorLocation | undefined {
    const p = this.problems[0];
    if (p === undefined) return { file: this.file };
    return { file: this.file, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.col !== undefined ? { col: p.col } : {}) };
  }
}
