// What a benchmark module is and what it returns. A module measures something and hands back
// rows; bench/index.ts runs the modules and bench/report.ts renders their rows.

export interface Row {
  /** What was measured, e.g. `pluginops run (bash), -j4`. */
  name: string;
  /** The median (or a value derived from medians). */
  value: number;
  unit: string;
  /** Name of the row this one is compared against. */
  baseline?: string;
  /** value / baseline value. */
  ratio?: number;
  /** The target, in words, e.g. `≤ 1.5× make`. */
  goal?: string;
  met?: boolean;
  /** Raw samples behind the median, shown as min–max and n. */
  samples?: number[];
  note?: string;
}

export interface BenchContext {
  /** Progress lines (stderr); the results table goes to stdout at the end. */
  log(message: string): void;
  /** The repository root. */
  root: string;
  /** Fewer repetitions (for a smoke run). */
  quick: boolean;
}

export interface Benchmark {
  /** Used by `--only`. */
  id: string;
  title: string;
  /** Markdown: what is measured and how; rendered above the module's table. */
  description: string;
  /** Not part of a plain `npm run bench`; runs only when named with `--only`. */
  optional?: boolean;
  run(ctx: BenchContext): Promise<Row[]>;
}

export interface ModuleResult {
  bench: Benchmark;
  rows: Row[];
  /** Wall time the module took. */
  seconds: number;
  error?: string;
}
