// Self-healing from the command line, with or without a running `serve`: feedback on an
// incident's remediation, what remediation did, the patterns learned from outcomes (with the
// recommended plan), and closing a circuit breaker. Everything goes through the remediation log
// (in the store, or in PostgreSQL: remediation-open.ts), which `serve` reads on its next tick.
import { RemediationError } from '../../remediation/errors.ts';
import { appendFeedback, appendReset, listPatterns, listRecords, readRemediationLog } from '../../remediation/log.ts';
import { defaultActor } from '../../runs/service.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import { withRemediationLog } from './remediation-open.ts';

const common = { config: { type: 'string', short: 'c' }, store: { type: 'string' }, json: { type: 'boolean' } } as const;

/** Remediation mistakes are the user's: a message and exit 1, like a refused decision. */
async function explained<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (e) {
    if (e instanceof RemediationError) throw new CliError(e.code, `${e.code}: ${e.message}${e.problems.length ? `\n${e.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}` : ''}`, e.kind);
    throw e;
  }
}

export const feedbackCommand = defineCommand({
  name: 'feedback',
  summary: 'Say whether an incident\'s remediation helped; it counts toward which plan is tried first',
  usage: 'pluginops feedback INCIDENT (--positive | --negative) [--reason TEXT] [--expected TEXT] [--as NAME]',
  options: { ...common, positive: { type: 'boolean' }, negative: { type: 'boolean' }, reason: { type: 'string' }, expected: { type: 'string' }, as: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new CliError('E_USAGE', `expected one incident id\nusage: ${this.usage}`);
    if (values.positive === values.negative) throw new CliError('E_USAGE', `say --positive or --negative\nusage: ${this.usage}`);
    const incident = positionals[0]!;
    const record = await withRemediationLog(ctx, values, async ({ log, incidents }) => {
      const known = await incidents();
      return explained(() => appendFeedback(log, incident, {
        positive: values.positive === true, by: values.as ?? defaultActor(ctx.env),
        ...(values.reason !== undefined ? { reason: values.reason } : {}), ...(values.expected !== undefined ? { expected: values.expected } : {}),
      }, Date.now(), (id) => known.has(id)));
    });
    if (values.json) ctx.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    else ctx.stdout.write(`feedback recorded on ${record.plan} for incident ${incident} (${values.positive ? 'positive' : 'negative'})\n`);
    return exitCodes.success;
  },
});

export const remediationListCommand = defineCommand({
  name: 'remediation list',
  summary: 'What remediation did: plan, target, decision, run, outcome and verification per incident',
  usage: 'pluginops remediation list [--incident ID] [--plan P] [--plugin P] [--json]',
  options: { ...common, incident: { type: 'string' }, plan: { type: 'string' }, plugin: { type: 'string' } },
  async run({ values }, ctx) {
    const state = await withRemediationLog(ctx, values, ({ log }) => readRemediationLog(log));
    const list = listRecords(state, { incident: values.incident, plan: values.plan, plugin: values.plugin });
    if (values.json) { ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`); return exitCodes.success; }
    if (list.length === 0) { ctx.stdout.write('no remediations\n'); return exitCodes.success; }
    for (const r of list) {
      ctx.stdout.write(`${new Date(r.startedAt).toISOString()}  ${r.plan.padEnd(18)} ${r.target.padEnd(16)} ${r.decision.padEnd(7)} ${(r.outcome ?? 'pending').padEnd(9)} ${r.runId ?? '-'}\n    incident ${r.incident}${r.detail ? `: ${r.detail}` : ''}\n`);
    }
    return exitCodes.success;
  },
});

export const remediationPatternsCommand = defineCommand({
  name: 'remediation patterns',
  summary: 'What was learned per (rule or category, plugin, plan), with the recommended plan',
  usage: 'pluginops remediation patterns [--scope RULE|category:NAME] [--plugin P] [--json]',
  options: { ...common, scope: { type: 'string' }, plugin: { type: 'string' } },
  async run({ values }, ctx) {
    const state = await withRemediationLog(ctx, values, ({ log }) => readRemediationLog(log));
    const list = listPatterns(state, { ...(values.scope ? { scope: values.scope } : {}), ...(values.plugin ? { plugin: values.plugin } : {}) });
    if (values.json) { ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`); return exitCodes.success; }
    if (list.length === 0) { ctx.stdout.write('nothing learned yet\n'); return exitCodes.success; }
    for (const p of list) {
      ctx.stdout.write(`${p.recommended ? '*' : ' '} ${p.key.scope.padEnd(24)} ${(p.key.plugin ?? '-').padEnd(14)} ${p.key.plan.padEnd(18)} fixed ${p.successes}  not ${p.failures}  +${p.positive} -${p.negative}  score ${p.score.toFixed(2)}\n`);
    }
    ctx.stdout.write('* recommended: tried first among the candidates of its scope\n');
    return exitCodes.success;
  },
});

export const remediationResetCommand = defineCommand({
  name: 'remediation reset',
  summary: 'Close the circuit breaker of a plan on a target; automatic remediation resumes there',
  usage: 'pluginops remediation reset PLAN TARGET [--as NAME]',
  options: { ...common, as: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 2) throw new CliError('E_USAGE', `expected a plan and a target\nusage: ${this.usage}`);
    const [plan, target] = positionals as [string, string];
    await withRemediationLog(ctx, values, ({ log }) => explained(() => appendReset(log, plan, target, values.as ?? defaultActor(ctx.env), Date.now())));
    ctx.stdout.write(`breaker of ${plan} on ${target} reset\n`);
    return exitCodes.success;
  },
});
