// Shared fixtures for the document tests: YAML written line by line (so positions can be
// counted by eye), file trees in fresh temp dirs, and a compact way to compare diagnostics.
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic, DiagnosticCode } from '../../src/documents/diagnostics.ts';

/** A YAML text from its lines: line N of the file is the N-th argument. */
export const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

/** Writes `files` (relative path → content) under a fresh temp dir and returns the dir. */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pluginops-docs-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/** What a test expects of one diagnostic; `file` is checked only when given. */
export interface Expected {
  file?: string;
  line: number;
  col: number;
  code: DiagnosticCode;
  message: string | RegExp;
}

const where = (d: { file?: string; line: number; col: number; code: string }) =>
  `${d.file ? `${d.file}:` : ''}${d.line}:${d.col} ${d.code}`;

/** Asserts the diagnostics are exactly `expected`, in order: same positions, codes, and matching messages. */
export function assertDiagnostics(actual: readonly Diagnostic[], expected: readonly Expected[], label = ''): void {
  const shown = actual.map((d) => `${where(d)} ${d.message}`).join('\n    ');
  assert.equal(
    actual.map((d, i) => where({ ...d, file: expected[i]?.file === undefined ? undefined : d.file })),
    expected.map((e) => where(e)),
    `${label}: positions and codes differ; got:\n    ${shown}`,
  );
  expected.forEach((e, i) => {
    const message = actual[i]!.message;
    if (typeof e.message === 'string') assert.ok(message.includes(e.message), `${label}: message "${message}" should include "${e.message}"`);
    else assert.match(message, e.message, `${label}: message "${message}" should match ${String(e.message)}`);
  });
}

/** Runs `fn` and returns what it threw, or its result: lets a test report a crash as a failed assertion. */
export function attempt<T>(fn: () => T): { value: T } | { thrown: unknown } {
  try { return { value: fn() }; } catch (thrown) { return { thrown }; }
}
