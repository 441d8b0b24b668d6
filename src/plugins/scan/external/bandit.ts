// Bandit's JSON report (`bandit -r -f json -q DIR`) as hits: LOW/MEDIUM/HIGH become low/medium/
// high, the rule id is `bandit.<test_id>`, columns become 1-based.
import { Type, type Static } from '@sinclair/typebox';
import { firstProblem } from '../../../documents/schema-check.ts';
import type { SeverityName } from '../severity.ts';
import { jsonPart, relativeToRoot } from './paths.ts';
import type { ExternalHit, OutputParser } from './types.ts';

const BanditResult = Type.Object({
  filename: Type.String(),
  line_number: Type.Integer({ minimum: 1 }),
  col_offset: Type.Optional(Type.Integer({ minimum: 0 })),
  issue_severity: Type.String(),
  issue_text: Type.String(),
  test_id: Type.String({ minLength: 1 }),
  test_name: Type.Optional(Type.String()),
  more_info: Type.Optional(Type.String()),
  issue_cwe: Type.Optional(Type.Object({ id: Type.Integer() })),
});

export const BanditOutput = Type.Object({ results: Type.Array(BanditResult) });
type BanditOutputDoc = Static<typeof BanditOutput>;

const severity: Record<string, SeverityName> = { LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };

export const banditArgs = (root: string): string[] => ['-r', '-f', 'json', '-q', root];

export const parseBandit: OutputParser = (stdout, root) => {
  let value: unknown;
  try { value = jsonPart(stdout); } catch (e) { return { problem: `output is not JSON (${(e as Error).message})` }; }
  const problem = firstProblem(BanditOutput, value, 'bandit output');
  if (problem) return { problem };
  const hits: ExternalHit[] = [];
  for (const r of (value as BanditOutputDoc).results) {
    const file = relativeToRoot(root, r.filename);
    if (!file) continue;
    hits.push({
      ruleId: `bandit.${r.test_id}`, severity: severity[r.issue_severity.toUpperCase()] ?? 'low',
      file, line: r.line_number, col: (r.col_offset ?? 0) + 1, message: r.issue_text,
      fix: r.more_info ? `See ${r.more_info}` : `See bandit's documentation of ${r.test_id}${r.test_name ? ` (${r.test_name})` : ''}.`,
      ...(r.issue_cwe && r.issue_cwe.id > 0 ? { cwe: `CWE-${r.issue_cwe.id}` } : {}),
    });
  }
  return { hits };
};
