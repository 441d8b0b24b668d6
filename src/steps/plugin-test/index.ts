// `uses: plugin/test` — the manifest's test command, or one detected from the plugin: pytest
// when test_*.py files exist and pytest is installed, `node --test` for node plugins. Output goes
// to the step log; a JUnit report, where there is one, gives the counts in the outputs. A failed
// run carries each failure it can place in the plugin's files (from the JUnit report and from
// Python tracebacks and pytest reports in the output) as a located problem.
import { Type } from '@sinclair/typebox';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Timeout } from '../../documents/schema/common.ts';
import { parseDuration } from '../../engine/duration.ts';
import { sourceFiles } from '../../plugins/files.ts';
import type { PluginManifestDoc } from '../../documents/schema/plugin.ts';
import { requireManifest } from '../plugin/common.ts';
import { StepFailure, defineStep, type StepContext } from '../../engine/step.ts';
import type { LocatedProblem } from '../../engine/events.ts';
import { junitCounts, junitFailures } from './junit.ts';
import { failureReader, maxProblems } from './tracebacks.ts';

interface Plan { command: string; junit?: string; why: string }

async function detect(ctx: StepContext<unknown>, root: string, m: PluginManifestDoc, junit: string): Promise<Plan | undefined> {
  if (m.test) return { command: m.test.command, junit: m.test.junit ? join(root, m.test.junit) : undefined, why: 'the manifest\'s test command' };
  if (m.runtime === 'python') {
    const tests = (await sourceFiles(root, ['.py'])).filter((f) => /^test_.*\.py$|_test\.py$/.test(basename(f)));
    if (tests.length === 0) return undefined;
    const probe = await ctx.edges.spawn({ command: 'python3', args: ['-c', 'import pytest'], cwd: root, env: { ...ctx.env }, signal: ctx.signal, killGraceMs: ctx.edges.killGraceMs, onLine: () => undefined });
    if (probe.exitCode !== 0) { ctx.log(`${tests.length} test file(s) found, but pytest is not installed`, 'warn'); return undefined; }
    return { command: `python3 -m pytest -q --junitxml='${junit}'`, junit, why: `pytest (${tests.length} test files)` };
  }
  if (m.runtime === 'node') {
    return { command: `node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination='${junit}'`, junit, why: 'node --test' };
  }
  return undefined;
}

export const testStep = defineStep({
  description: 'Runs a plugin\'s tests.',
  inputs: Type.Object({
    path: Type.Optional(Type.String({ description: 'The plugin directory (default: the run\'s --plugin).' })),
    command: Type.Optional(Type.String({ description: 'Overrides the manifest and detection.' })),
    timeout: Type.Optional(Timeout),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const { root, manifest } = await requireManifest(ctx);
    const junitFile = join(await ctx.scratchDir(), `${ctx.stepId}-${ctx.attempt}-junit.xml`);
    const plan = ctx.inputs.command ? { command: ctx.inputs.command, why: 'the step\'s command' } : await detect(ctx, root, manifest, junitFile);
    if (!plan) {
      ctx.log('no tests found (no test command in the manifest, nothing to detect)', 'warn');
      ctx.setOutput('tests', '0');
      return;
    }
    ctx.log(`running ${plan.why}: ${plan.command}`);
    const limit = ctx.inputs.timeout ?? manifest.test?.timeout;
    const signal = limit ? AbortSignal.any([ctx.signal, AbortSignal.timeout(parseDuration(limit))]) : ctx.signal;
    const place = { root, workspace: ctx.workspace };
    const readers = { stdout: failureReader(place), stderr: failureReader(place) };
    const result = await ctx.edges.spawn({
      command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', plan.command], cwd: root,
      env: { ...ctx.env }, signal, killGraceMs: ctx.edges.killGraceMs,
      onLine: (s, l) => { readers[s].line(l); ctx.log(l, 'info', s); },
    });
    const junitXml = 'junit' in plan && plan.junit && existsSync(plan.junit) ? await readFile(plan.junit, 'utf8') : undefined;
    const junit = junitXml !== undefined ? junitCounts(junitXml) : undefined;
    if (junit) {
      for (const [k, v] of Object.entries(junit)) ctx.setOutput(k, String(v));
      ctx.setOutput('passed', String(junit.tests - junit.failures - junit.errors - junit.skipped));
      ctx.log(`${junit.tests} tests: ${junit.failures} failed, ${junit.errors} errors, ${junit.skipped} skipped`);
    }
    if (signal.aborted && !ctx.signal.aborted) throw new StepFailure(`the tests did not finish within ${limit}`);
    if (result.exitCode !== 0) {
      const problems = distinct([...(junitXml !== undefined ? junitFailures(junitXml, place) : []), ...readers.stdout.problems(), ...readers.stderr.problems()]);
      throw new StepFailure(`the tests failed (exit ${result.exitCode ?? result.signal})${junit ? `: ${junit.failures + junit.errors} of ${junit.tests} failed` : ''}`, result.exitCode ?? undefined, problems);
    }
  },
});

/** One problem per place (a JUnit report and the output often tell of the same failure), the first kept. */
function distinct(problems: LocatedProblem[]): LocatedProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => { const k = `${p.file}:${p.line}`; if (seen.has(k)) return false; seen.add(k); return true; }).slice(0, maxProblems);
}
