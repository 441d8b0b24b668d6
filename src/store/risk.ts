// A run's delivery risk as the execution record keeps it: the score, its factors and the change
// behind them (src/risk/ computes it). Pure data, no behaviour.

export type RiskLevel = 'low' | 'medium' | 'high';

/** The factors of the weighted score, each a value from 0 (no risk) to 1. */
export const factorNames = [
  'workflowFailures', 'stepFailures', 'pluginFailures', 'flakySteps', 'sinceLastSuccess',
  'changeSize', 'sensitiveFiles', 'untestedChange', 'complexity', 'offHours',
] as const;
export type FactorName = (typeof factorNames)[number];

export interface RiskFactor {
  name: FactorName;
  /** From 0 to 1. */
  value: number;
  /** Its weight in the score (the project's `risk.weights`, or the default). */
  weight: number;
  /** The value in words: "3 of the last 10 runs failed". */
  detail: string;
}

/** One function (or method) whose lines a change touched, with its cyclomatic complexity. */
export interface FunctionComplexity {
  /** Repository-relative POSIX path. */
  file: string;
  /** `Class.method`, `function`, `<anonymous>` with its line. */
  name: string;
  line: number;
  endLine: number;
  /** 1 + decision points (if, loops, case, catch, &&, ||, ??, ?:, comprehension ifs, except). */
  complexity: number;
  language: 'python' | 'javascript';
}

/** What a change between two commits touches in one plugin. */
export interface ChangeSummary {
  base: string;
  head: string;
  /** Files changed under the plugin (and shared files that affect it). */
  files: number;
  linesAdded: number;
  linesDeleted: number;
  /** Plugin manifests changed. */
  manifests: string[];
  /** Dependency files changed (package.json, lock files, requirements*.txt, pyproject.toml, …). */
  dependencyFiles: string[];
  /** Source files changed (not tests, not documentation). */
  codeFiles: number;
  /** Test files changed. */
  testFiles: number;
  /** Touched Python/JavaScript functions, most complex first (at most 20). */
  functions: FunctionComplexity[];
  /** The highest complexity among the touched functions; 0 when none. */
  maxComplexity: number;
  /** Files whose complexity could not be measured, and why (a syntax error, too large). */
  unmeasured?: Array<{ file: string; reason: string }>;
}

export interface RiskAssessment {
  /** The weighted score from 0 to 1; null when there is not enough history (see `reason`). */
  score: number | null;
  /** The calibrated probability of failure, when the project's history allows a calibration. */
  probability?: number;
  /** From the probability when there is one, else from the score; `unknown` without a score. */
  level: RiskLevel | 'unknown';
  /** How much the figures can be trusted, from the amount of history behind them. */
  confidence: 'low' | 'medium' | 'high';
  /** Finished executions of the workflow the history factors read. */
  history: number;
  /** Why there is no score ("not enough data: …"). */
  reason?: string;
  factors: RiskFactor[];
  /** The change, when the run knows its base (a pull request, `--base`). */
  change?: ChangeSummary;
  /** When it was assessed (ISO). */
  at: string;
}
