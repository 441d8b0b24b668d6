// Semgrep's JSON report as hits: the rule id is `semgrep.<check_id>`; ERROR/WARNING/INFO become
// high/medium/low (newer CRITICAL/HIGH/MEDIUM/LOW map by name). Runs only with a local config:
// `--config auto` needs the network.
import { Type, type Static } from '@sinclair/typebox';
import { firstProblem } from '../../../documents/schema-check.ts';
import type { SeverityName } from '../severity.ts';
import { jsonPart, relativeToRoot } from './paths.ts';
import type { ExternalHit, OutputParser } from './types.ts';

const Position = Type.Object({ line: Type.Integer({ minimum: 1 }), col: Type.Integer({ minimum: 1 }) });

const SemgrepResult = Type.Object({
  check_id: Type.String({ minLength: 1 }),
  path: Type.String(),
  start: Position,
  extra: Type.Object({
    message: Type.String(),
    severity: Type.String(),
    fix: Type.Optional(Type.String()),
    metadata: Type.Optional(Type.Object({ cwe: Type.Optional(Type.Unknown()) })),
  }),
});

export const SemgrepOutput = Type.Object({ results: Type.Array(SemgrepResult) });
type SemgrepOutputDoc = Static<typeof SemgrepOutput>;

const severity: Record<string, SeverityName> = {
  ERROR: 'high', WARNING: 'medium', INFO: 'low',
  CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low',
};

export const semgrepArgs = (root: string, config: string): string[] =>
  ['--json', '--quiet', '--metrics=off', '--disable-version-check', '--config', config, root];

/** `CWE-78: Improper …` (or a list of them) → `CWE-78`. */
function cweOf(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? /CWE-[1-9][0-9]*/.exec(first)?.[0] : undefined;
}

export const parseSemgrep: OutputParser = (stdout, root) => {
  let value: unknown;
  try { value = jsonPart(stdout); } catch (e) { return { problem: `output is not JSON (${(e as Error).message})` }; }
  const problem = firstProblem(SemgrepOutput, value, 'semgrep output');
  if (problem) return { problem };
  const hits: ExternalHit[] = [];
  for (const r of (value as SemgrepOutputDoc).results) {
    const file = relativeToRoot(root, r.path);
    if (!file) continue;
    const cwe = cweOf(r.extra.metadata?.cwe);
    hits.push({
      ruleId: `semgrep.${r.check_id}`, severity: severity[r.extra.severity.toUpperCase()] ?? 'medium',
      file, line: r.start.line, col: r.start.col, message: r.extra.message.trim(),
      fix: r.extra.fix ? `Suggested fix: ${r.extra.fix}` : `See the semgrep rule ${r.check_id}.`,
      ...(cwe ? { cwe } : {}),
    });
  }
  return { hits };
};
