// Run-time controls from the command line, as a client of the running `pluginops serve`
// (--url / PLUGINOPS_URL, the token in PLUGINOPS_TOKEN, which needs the admin scope to change
// anything): pause and resume monitoring, self-healing off and on, maintenance now, and
// `controls` to show what is in force and the recent changes.
import type { ChangeView as ControlChange, ControlsView } from '../../monitor/controls/view.ts';
import { clientOptions, serveClient } from '../client.ts';
import { defineCommand } from '../command.ts';
import type { CliContext } from '../context.ts';
import { CliError, exitCodes } from '../errors.ts';

const targetOptions = { ...clientOptions, check: { type: 'string' }, rule: { type: 'string' }, all: { type: 'boolean' }, reason: { type: 'string' }, json: { type: 'boolean' } } as const;

type Target = { all: true } | { check: string } | { rule: string };

function targetOf(values: { check?: string | undefined; rule?: string | undefined; all?: boolean | undefined }, usage: string): Target {
  const given = [values.check !== undefined, values.rule !== undefined, values.all === true].filter(Boolean).length;
  if (given > 1) throw new CliError('E_USAGE', `give one of --check, --rule or --all\nusage: ${usage}`);
  if (values.check !== undefined) return { check: values.check };
  if (values.rule !== undefined) return { rule: values.rule };
  return { all: true };
}

function reasonOf(reason: string | undefined, usage: string): string {
  if (reason === undefined || reason.trim() === '') throw new CliError('E_USAGE', `--reason is required: say why, it is recorded with the change\nusage: ${usage}`);
  return reason;
}

interface Changed { change: ControlChange; controls: ControlsView }

async function send(ctx: CliContext, values: { url?: string | undefined; timeout?: string | undefined; json?: boolean | undefined }, path: string, body: unknown): Promise<number> {
  const { data, message } = await serveClient(ctx, values).request<Changed>('POST', path, body);
  if (values.json) ctx.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else ctx.stdout.write(`${message ?? data.change.action} (change ${data.change.seq}, by ${data.change.by})\n`);
  return exitCodes.success;
}

export const pauseCommand = defineCommand({
  name: 'pause',
  summary: 'Pause all monitoring, one health check or one alert rule in the running serve',
  usage: 'pluginops pause [--check ID | --rule ID | --all] --reason TEXT [--for DURATION] [--url URL] [--json]',
  options: { ...targetOptions, for: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `pause takes no arguments\nusage: ${this.usage}`);
    const body = { target: targetOf(values, this.usage), reason: reasonOf(values.reason, this.usage), ...(values.for !== undefined ? { for: values.for } : {}) };
    return send(ctx, values, '/api/controls/pause', body);
  },
});

export const resumeCommand = defineCommand({
  name: 'resume',
  summary: 'End a pause made with `pluginops pause` (the same target)',
  usage: 'pluginops resume [--check ID | --rule ID | --all] --reason TEXT [--url URL] [--json]',
  options: targetOptions,
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `resume takes no arguments\nusage: ${this.usage}`);
    return send(ctx, values, '/api/controls/resume', { target: targetOf(values, this.usage), reason: reasonOf(values.reason, this.usage) });
  },
});

export const selfHealingCommand = defineCommand({
  name: 'self-healing',
  summary: 'Turn self-healing off or on in the running serve, everywhere or for one rule',
  usage: 'pluginops self-healing off|on [--rule ID] --reason TEXT [--url URL] [--json]',
  options: { ...clientOptions, rule: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    const [state, ...rest] = positionals;
    if (rest.length || (state !== 'off' && state !== 'on')) throw new CliError('E_USAGE', `say off or on\nusage: ${this.usage}`);
    const body = { enabled: state === 'on', ...(values.rule !== undefined ? { rule: values.rule } : {}), reason: reasonOf(values.reason, this.usage) };
    return send(ctx, values, '/api/controls/self-healing', body);
  },
});

export const maintenanceStartCommand = defineCommand({
  name: 'maintenance start',
  summary: 'Start a maintenance window now: alerts it matches notify and remediate nothing until it ends',
  usage: 'pluginops maintenance start --for DURATION --reason TEXT [--check ID]... [--rule ID]... [--url URL] [--json]',
  options: { ...clientOptions, for: { type: 'string' }, reason: { type: 'string' }, check: { type: 'string', multiple: true }, rule: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `maintenance start takes no arguments\nusage: ${this.usage}`);
    if (values.for === undefined) throw new CliError('E_USAGE', `--for is required: how long the window lasts, such as 30m\nusage: ${this.usage}`);
    const body = {
      for: values.for, reason: reasonOf(values.reason, this.usage),
      ...(values.check?.length ? { checks: values.check } : {}), ...(values.rule?.length ? { rules: values.rule } : {}),
    };
    return send(ctx, values, '/api/controls/maintenance', body);
  },
});

export const maintenanceEndCommand = defineCommand({
  name: 'maintenance end',
  summary: 'End a maintenance window started with `maintenance start`, now',
  usage: 'pluginops maintenance end ID --reason TEXT [--url URL] [--json]',
  options: { ...clientOptions, reason: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new CliError('E_USAGE', `expected the window's id (see pluginops controls)\nusage: ${this.usage}`);
    return send(ctx, values, `/api/controls/maintenance/${encodeURIComponent(positionals[0]!)}/end`, { reason: reasonOf(values.reason, this.usage) });
  },
});

export const controlsCommand = defineCommand({
  name: 'controls',
  summary: 'Show the run-time controls of the running serve: pauses, self-healing, maintenance, recent changes',
  usage: 'pluginops controls [--url URL] [--json]',
  options: { ...clientOptions, json: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `controls takes no arguments\nusage: ${this.usage}`);
    const { data } = await serveClient(ctx, values).request<ControlsView>('GET', '/api/controls');
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : describeControls(data));
    return exitCodes.success;
  },
});

const stale = (m: { matches: boolean }) => (m.matches ? '' : ' (matches nothing in the configuration)');

export function describeControls(v: ControlsView): string {
  const lines = [`monitoring: ${v.monitoring}`, `self-healing: ${v.selfHealing.enabled ? 'on' : 'off'}`];
  for (const p of v.pauses) lines.push(`paused ${p.target}${p.until ? ` until ${p.until}` : ''} by ${p.by} at ${p.at}: ${p.reason}${stale(p)}`);
  for (const h of v.selfHealing.off) lines.push(`self-healing off${h.rule ? ` for rule ${h.rule}` : ''} by ${h.by} at ${h.at}: ${h.reason}${stale(h)}`);
  for (const m of v.maintenance) {
    const scope = [...(m.checks ?? []).map((c) => `check ${c}`), ...(m.rules ?? []).map((r) => `rule ${r}`)].join(', ') || 'every alert';
    lines.push(`maintenance ${m.id} until ${m.end} (${scope}) by ${m.by}: ${m.reason}${stale(m)}`);
  }
  lines.push(`changes: ${v.changeCount}`);
  for (const c of v.changes.slice(-10)) lines.push(`  ${c.seq}  ${c.at}  ${c.action} ${c.target}${c.until ? ` until ${c.until}` : ''} by ${c.by}: ${c.reason}`);
  return `${lines.join('\n')}\n`;
}
