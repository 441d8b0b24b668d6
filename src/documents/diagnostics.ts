// Diagnostics: every problem found in a document carries its file, line and column, a stable
// code, and a message that says what was found and what was expected.
import { PluginopsError } from '../errors/base.ts';

export type DiagnosticCode =
  | 'E_FILE_NOT_FOUND'
  | 'E_FILE_UNREADABLE'
  | 'E_YAML_SYNTAX'
  | 'E_TOO_LARGE'
  | 'E_TOO_DEEP'
  | 'E_TOO_MANY_NODES'
  | 'E_ENCODING'
  | 'E_CONTROL_CHARACTER'
  | 'E_UNKNOWN_KIND'
  | 'E_REQUIRED'
  | 'E_UNKNOWN_KEY'
  | 'E_TYPE'
  | 'E_VALUE'
  | 'E_STEP_SHAPE'
  | 'E_DUPLICATE_ID'
  | 'E_DUPLICATE_STEP'
  | 'E_UNKNOWN_NEEDS'
  | 'E_CYCLE'
  | 'E_EXPRESSION'
  | 'E_NOT_UPSTREAM'
  | 'E_UNKNOWN_STEP_TYPE'
  | 'E_UNKNOWN_REFERENCE'
  | 'E_PARAMETER'
  /** A HealthCheck with both `interval` and `cron`: it runs on one cadence. */
  | 'E_CADENCE'
  /** Warning: an expression's value is read by bash as arithmetic, which evaluates code. */
  | 'W_ARITHMETIC';

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  code: DiagnosticCode;
  message: string;
  /** A warning is reported but does not make the documents invalid. */
  severity?: 'warning';
}

export const formatDiagnostic = (d: Diagnostic): string => `${d.file}:${d.line}:${d.col}: ${d.severity === 'warning' ? 'warning ' : ''}${d.code} ${d.message}`;

/** Splits what the rules found into problems and warnings. */
export function splitWarnings(ds: Diagnostic[]): { diagnostics: Diagnostic[]; warnings: Diagnostic[] } {
  return { diagnostics: ds.filter((d) => d.severity !== 'warning'), warnings: ds.filter((d) => d.severity === 'warning') };
}

export const sortDiagnostics = (ds: Diagnostic[]): Diagnostic[] =>
  [...ds].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code));

/** Thrown when documents do not validate; carries every diagnostic, not only the first. */
export class InvalidDocumentsError extends PluginopsError {
  readonly code = 'E_INVALID_DOCUMENTS';
  readonly kind = 'invalid';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in the documents`);
  }
}

/** What a value looks like, for "found …" messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 37) + '...' : v}"`;
  return String(v);
}
