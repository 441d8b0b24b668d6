// What both languages' measurers take and give: source files with the lines a change touched,
// and the functions those lines fall in. Pure helpers shared by ./python.ts and ./javascript.ts.
import type { FunctionComplexity } from '../../store/risk.ts';
import { maxFileBytes, maxFiles } from './limits.ts';

/**
 * Lines changed on the head side, from `start` to `end` inclusive. A pure deletion after line
 * `n` is the empty range `{ start: n + 1, end: n }`: it touches a function that spans both
 * line n and line n + 1.
 */
export interface LineRange { start: number; end: number }

export interface SourceFile {
  /** Repository-relative POSIX path. */
  file: string;
  text: string;
  /** Sorted, disjoint ranges; absent: every function counts as touched. */
  changed?: LineRange[];
}

export interface Unmeasured { file: string; reason: string }

export interface Measured {
  /** The touched functions, at most `maxFunctions` per file, most complex first. */
  functions: FunctionComplexity[];
  unmeasured: Unmeasured[];
}

/** Whether the function from `line` to `endLine` meets one of the sorted `ranges`. */
export function touches(ranges: readonly LineRange[], line: number, endLine: number): boolean {
  // The first range that ends at or after `line`; the ranges' ends and starts both ascend.
  let lo = 0, hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]!.end < line) lo = mid + 1; else hi = mid;
  }
  const range = ranges[lo];
  return range !== undefined && range.start <= endLine;
}

/** Most complex first, then by file and line; at most `n`. */
export function mostComplex(functions: readonly FunctionComplexity[], n: number): FunctionComplexity[] {
  return [...functions]
    .sort((a, b) => b.complexity - a.complexity || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line)
    .slice(0, n);
}

export const tooLarge = (bytes: number) =>
  `too large to measure: ${bytes} bytes, the limit is ${maxFileBytes} bytes`;
export const overFileLimit = `not measured: only the first ${maxFiles} changed source files are`;

/** The files a measurer parses, and those it leaves out for their size or number. */
export function admit(files: readonly SourceFile[]): { measurable: SourceFile[]; unmeasured: Unmeasured[] } {
  const measurable: SourceFile[] = [];
  const unmeasured: Unmeasured[] = [];
  for (const f of files) {
    const bytes = Buffer.byteLength(f.text);
    if (bytes > maxFileBytes) unmeasured.push({ file: f.file, reason: tooLarge(bytes) });
    else if (measurable.length >= maxFiles) unmeasured.push({ file: f.file, reason: overFileLimit });
    else measurable.push(f);
  }
  return { measurable, unmeasured };
}
