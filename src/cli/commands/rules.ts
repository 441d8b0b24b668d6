// `pluginops rules test FILE...`: runs alert rule fixtures (monitor/rules/fixture.ts) and prints
// each test's outcome; exit 0 when all pass, 1 when one fails, 2 for a fixture or rule file that
// does not load (with file:line:col).
import { registry } from '../../wiring/registry.ts';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../documents/diagnostics.ts';
import { displayPath } from '../../documents/display.ts';
import { loadDocuments } from '../../documents/load.ts';
import { checkSchema } from '../../documents/schema-check.ts';
import { parseYaml } from '../../documents/source.ts';
import { parseDuration } from '../../engine/duration.ts';
import { compileRule, type CompiledRule } from '../../monitor/rules/compile.ts';
import { FixtureError, RuleFixture, runRuleTest, type RuleFixtureDoc, type TestOutcome } from '../../monitor/rules/fixture.ts';
import { defineCommand } from '../command.ts';
import type { CliContext } from '../context.ts';
import { CliError, exitCodes } from '../errors.ts';

export const rulesTestCommand = defineCommand({
  name: 'rules test',
  summary: 'Unit-test alert rules against fixtures of timestamped values and expected alert states',
  usage: 'pluginops rules test FILE... [--json]',
  options: {
    json: { type: 'boolean', default: false },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length === 0) throw new CliError('E_USAGE', `rules test takes one or more fixture files\nusage: ${this.usage}`);
    const report: Array<{ file: string; tests: TestOutcome[] }> = [];
    for (const p of positionals) {
      const file = resolve(ctx.cwd, p);
      const shown = displayPath(ctx.cwd, file);
      let text: string;
      try { text = await readFile(file, 'utf8'); } catch (e) {
        throw new CliError('E_FILE_NOT_FOUND', `${shown}: cannot read the fixture (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      const parsed = parseYaml(shown, text);
      const src = parsed.documents[0];
      const diagnostics = [...parsed.diagnostics, ...(src ? checkSchema(src, src.value, RuleFixture, [], 'rule test fixture') : [])];
      if (diagnostics.length) refuse(diagnostics, ctx);
      if (!src) throw new CliError('E_USAGE', `${shown}: the fixture is empty`);
      const fixture = src.value as RuleFixtureDoc;
      const { set, diagnostics: ruleProblems } = await loadDocuments(fixture.rules.map((r) => resolve(dirname(file), r)), ctx.cwd, { registry });
      if (ruleProblems.length) refuse(ruleProblems, ctx);
      const rules = new Map<string, CompiledRule>();
      for (const [id, loaded] of set.AlertRule) {
        try { rules.set(id, compileRule(loaded.doc)); } catch (e) { throw new CliError('E_RULE', `${loaded.src.file}: ${(e as Error).message}`); }
      }
      const thresholds = (check: string) => {
        const spec = set.HealthCheck.get(check)?.doc.spec;
        return { failureThreshold: spec?.failureThreshold ?? 3, successThreshold: spec?.successThreshold ?? 2 };
      };
      const interval = fixture.interval ? parseDuration(fixture.interval) : 60_000;
      const tests = fixture.tests.map((t) => {
        try { return runRuleTest(t, rules, interval, thresholds); } catch (e) {
          if (e instanceof FixtureError) return { name: t.name, ok: false, failures: [{ at: '-', rule: '-', message: e.message }] };
          throw e;
        }
      });
      report.push({ file: shown, tests });
    }
    const all = report.flatMap((r) => r.tests);
    const failed = all.filter((t) => !t.ok).length;
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ passed: all.length - failed, failed, files: report }, null, 2)}\n`);
    } else {
      for (const r of report) {
        ctx.stdout.write(`${r.file}\n`);
        for (const t of r.tests) {
          ctx.stdout.write(`  ${t.ok ? '✓' : '✗'} ${t.name}\n`);
          for (const f of t.failures) ctx.stdout.write(`      at ${f.at}: ${f.message}\n`);
        }
      }
      ctx.stdout.write(`${all.length - failed} passed, ${failed} failed\n`);
    }
    return failed ? exitCodes.failed : exitCodes.success;
  },
});

/** A fixture or rule file that does not load: each problem with file:line:col, then exit 2 (nothing was tested). */
function refuse(diagnostics: readonly Diagnostic[], ctx: CliContext): never {
  for (const d of diagnostics) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
  throw new CliError('E_INVALID_DOCUMENTS', `${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in the fixture or its rule files`, 'usage');
}
