// What remediation reads from documents and the project file: `remediate` takes exactly one of
// `plan` and `plans`, every plan named must exist, expressions in `with` must parse, and the
// project's limits are overlaid by the rule's.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadText } from '../../src/documents/load.ts';
import { Project } from '../../src/documents/schema/project.ts';
import { firstProblem } from '../../src/documents/schema-check.ts';
import type { ProjectDoc } from '../../src/documents/schema/project.ts';
import { defaultRunTimeoutMs, policyFor, remediationConfig } from '../../src/remediation/config.ts';
import { RemediationConfigError } from '../../src/remediation/errors.ts';

const plans = ['restart', 'clear-cache'].map((id) => `---
apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: ${id} }
spec: { steps: [{ id: act, run: "true" }] }
`).join('');

const rule = (remediate: string) => `apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down }
spec:
  source: { healthCheck: api }
  remediate: ${remediate}
---
apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec: { type: tcp, host: 127.0.0.1, port: 9 }
${plans}`;

const project = (remediation?: string): ProjectDoc => ({
  apiVersion: 'pluginops/v1', kind: 'Project', ...(remediation === undefined ? {} : { remediation: JSON.parse(remediation) as ProjectDoc['remediation'] }),
});

const shapes = [
  { remediate: '{ plan: restart }', codes: [] },
  { remediate: '{ plans: [clear-cache, restart] }', codes: [] },
  { remediate: '{ plan: restart, plans: [clear-cache] }', codes: ['E_STEP_SHAPE'] },
  { remediate: '{ cooldown: 5m }', codes: ['E_STEP_SHAPE'] },
  { remediate: '{ plans: [] }', codes: ['E_VALUE'] },
  { remediate: '{ plans: [restart, nope] }', codes: ['E_UNKNOWN_REFERENCE'] },
  { remediate: '{ plan: nope }', codes: ['E_UNKNOWN_REFERENCE'] },
  { remediate: '{ plan: restart, verify: { attempts: 0 } }', codes: ['E_VALUE'] },
  { remediate: '{ plan: restart, maxPerWindow: 2, window: 30m, dryRun: true, requireApproval: true, verify: { attempts: 3, interval: 5s } }', codes: [] },
];

for (const c of shapes) {
  test(`remediate: ${c.remediate} → ${c.codes.join(', ') || 'valid'}`, () => {
    const { diagnostics } = loadText('rules.yml', rule(c.remediate), registry);
    assert.equal(diagnostics.map((d) => d.code).sort(), [...c.codes].sort(), JSON.stringify(diagnostics));
  });
}

test('an unknown candidate is reported at its place in `plans`', () => {
  const [d] = loadText('rules.yml', rule('{ plans: [restart, nope] }'), registry).diagnostics;
  assert.equal([d!.line, d!.message.startsWith('ActionPlan `nope` is not defined')], [6, true], d!.message);
  assert.is(d!.col, 33);
});

test('the project file\'s remediation section is checked by the schema', () => {
  const ok = { apiVersion: 'pluginops/v1', kind: 'Project', remediation: { enabled: true, dryRun: false, cooldown: '30m', maxPerWindow: 5, window: '2h', breakerThreshold: 2, breakerReset: '1h', timeout: '10m', requireApproval: { severities: ['critical'] } } };
  assert.is(firstProblem(Project, ok, 'project'), undefined);
  assert.ok(firstProblem(Project, { ...ok, remediation: { requireApproval: { severities: ['urgent'] } } }, 'project'));
  assert.ok(firstProblem(Project, { ...ok, remediation: { cooldwn: '1h' } }, 'project'));
});

test('defaults: enabled, no dry run, 1h cooldown and window, 3 per window, breaker after 3, 15m timeout', () => {
  const config = remediationConfig(project(), loadText('rules.yml', rule('{ plan: restart }'), registry).set);
  const spec = config.rules.get('api-down')!;
  assert.equal(spec.plans, ['restart']);
  assert.equal(policyFor(config, spec), { cooldownMs: 3_600_000, maxPerWindow: 3, windowMs: 3_600_000, breakerThreshold: 3, dryRun: false });
  assert.equal([config.enabled, config.timeoutMs, config.approvalSeverities], [true, defaultRunTimeoutMs, []]);
  assert.equal(spec.verify, { intervalMs: 2_000 });
});

test('the rule\'s limits override the project\'s; a dry run of either one holds', () => {
  const docs = loadText('rules.yml', rule('{ plan: restart, cooldown: 5m, maxPerWindow: 1, verify: { attempts: 3, interval: 5s } }'), registry).set;
  const config = remediationConfig(project('{"cooldown":"30m","window":"2h","breakerThreshold":2,"breakerReset":"1h","dryRun":true,"timeout":"10m"}'), docs);
  const spec = config.rules.get('api-down')!;
  assert.equal(policyFor(config, spec), { cooldownMs: 300_000, maxPerWindow: 1, windowMs: 7_200_000, breakerThreshold: 2, breakerResetMs: 3_600_000, dryRun: true });
  assert.equal(spec.verify, { attempts: 3, intervalMs: 5_000 });
  assert.is(config.timeoutMs, 600_000);
  const ruleDry = remediationConfig(project(), loadText('rules.yml', rule('{ plan: restart, dryRun: true }'), registry).set);
  assert.is(policyFor(ruleDry, ruleDry.rules.get('api-down')!).dryRun, true);
});

test('an expression in `with` that does not parse is a configuration problem naming where it is', () => {
  const docs = loadText('rules.yml', rule('{ plan: restart, with: { plugin: "${{ alert.labels.plugin }}", bad: "${{ params.x }}", open: "${{ alert.rule" } }'), registry).set;
  try {
    remediationConfig(project(), docs);
    assert.unreachable('expected a RemediationConfigError');
  } catch (e) {
    assert.instance(e, RemediationConfigError);
    const problems = (e as RemediationConfigError).problems;
    assert.is(problems.length, 2);
    assert.match(problems[0]!, /^AlertRule api-down remediate\.with\.bad: in `\$\{\{ params\.x \}\}`: unknown name `params`; expected one of alert, incident or a literal$/);
    assert.match(problems[1]!, /^AlertRule api-down remediate\.with\.open: found `\$\{\{` without a closing `\}\}`$/);
  }
});

test.run();
