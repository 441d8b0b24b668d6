// Incidents opened by hand, end to end: a real `pluginops serve --cron` child process, the CLI as
// real child processes (`incidents open|show|ack|resolve` talking to it over HTTP), and a loopback
// webhook receiver. A report with a log file notifies the receiver and `show` prints the log; a
// second report with the same labels joins; ack and resolve from the CLI change the incident the
// API shows; resolving again is refused and notifies nobody; a report naming a rule with
// `remediate` starts that remediation. Bad input ends with a clear message and a non-zero exit.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maxReportLogBytes } from '../../src/monitor/incidents/manual.ts';
import { cli, cliProcess } from '../cli/helpers.ts';
import { eventually, readToken, restartCommand, serveWorld, writeToken, type ServeWorld } from './helpers.ts';

const documents = (control: string) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: payments-health }
spec:
  type: http
  url: "{service}/health"
  interval: 1h
  timeout: 1s
  failureThreshold: 2
  successThreshold: 1
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: payments-down, name: Payments down }
spec:
  source: { healthCheck: payments-health }
  severity: critical
  notify: { channels: [ops-hook] }
  remediate:
    plan: restart_plugin
    with:
      plugin: "\${{ alert.labels.plugin }}"
      command: ${restartCommand(control)}
    verify: { attempts: 2, interval: 300ms }
`;

let w: ServeWorld;
let url: string;
const restarts: string[] = [];
const control = createServer((req, res) => {
  req.resume();
  if (req.method === 'POST' && req.url?.startsWith('/restart/')) { restarts.push(req.url.slice('/restart/'.length)); res.end('ok'); return; }
  res.writeHead(404).end();
});

test.before(async () => {
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
  w = await serveWorld({
    documents: documents(`http://127.0.0.1:${(control.address() as AddressInfo).port}`),
    monitoring: ['notify: [ops-hook]'],
    extraProject: ['remediation: { cooldown: 1m }'],
  });
  url = (await w.start()).url;
});
test.after(async () => {
  await w.close();
  await new Promise((r) => control.close(r));
});

/** The CLI as a separate process, pointed at the serve with a token. */
const run = (argv: string[], token = writeToken) => cliProcess([...argv, '--url', url], w.dir, { PLUGINOPS_TOKEN: token }).done;
/** The same CLI in this process (quicker, for the cases a separate process adds nothing to). */
const runHere = (argv: string[], token = writeToken) => cli([...argv, '--url', url], w.dir, { env: { PLUGINOPS_TOKEN: token } });
const hooks = () => w.got('/hook');
const incident = async (id: string) => (await w.api('GET', `/api/incidents/${encodeURIComponent(id)}`, { token: readToken })).body.data;

test('open with a log file → webhook; show prints the log; a second open joins; ack and resolve from the CLI', async () => {
  writeFileSync(join(w.dir, 'checkout.log'), '12:00:01 ERROR upstream connect error\n12:00:02 ERROR 502 on /checkout\n');
  const opened = await run(['incidents', 'open', '--title', 'checkout answers 502', '--severity', 'warning', '--category', 'performance', '--log-file', 'checkout.log', '--label', 'plugin=checkout']);
  assert.is(opened.code, 0, opened.stderr);
  const id = /^opened incident (\S+) \(open, warning\)$/m.exec(opened.stdout)?.[1];
  assert.ok(id, opened.stdout);
  await eventually(() => hooks().length === 1, { what: 'the firing webhook' });
  assert.is(hooks()[0].status, 'firing');
  assert.match(JSON.stringify(hooks()[0]), /checkout answers 502/);

  // Independent of each other, so at once: show, a second report (joins), the acknowledgement.
  const [shown, again, ack] = await Promise.all([
    run(['incidents', 'show', id!], readToken),
    run(['incidents', 'open', '--title', 'still 502', '--severity', 'warning', '--category', 'performance', '--log', 'still failing', '--label', 'plugin=checkout']),
    run(['incidents', 'ack', id!, '--note', 'rolling back', '--timeout', '30m']),
  ]);
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^checkout answers 502$/m);
  assert.match(shown.stdout, /opened +checkout answers 502 +\(by ci\)/);
  assert.match(shown.stdout, /manual by ci at /);
  assert.match(shown.stdout, /\| 12:00:01 ERROR upstream connect error\n +\| 12:00:02 ERROR 502 on \/checkout/);
  const json = await runHere(['incidents', 'show', id!, '--json'], readToken);
  assert.equal(JSON.parse(json.stdout).evidence[0].lines.map((l: { text: string }) => l.text), ['12:00:01 ERROR upstream connect error', '12:00:02 ERROR 502 on /checkout']);

  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`^joined incident ${id!.replace(/[.:]/g, '\\$&')} `, 'm'));
  assert.is((await incident(id!)).evidence.length, 2);

  assert.is(ack.code, 0, ack.stderr);
  assert.match(ack.stdout, /^acknowledged \S+ as ci until /m);
  const acked = await incident(id!);
  assert.equal([acked.status, acked.acknowledgedBy], ['acknowledged', 'ci']);
  assert.ok(acked.ackTimeoutAt - acked.acknowledgedAt === 30 * 60_000);
  assert.match(acked.timeline.find((e: { kind: string }) => e.kind === 'acknowledged').text, /rolling back/);

  const resolved = await run(['incidents', 'resolve', id!, '--note', 'rolled back to 1.4.2']);
  assert.is(resolved.code, 0, resolved.stderr);
  const done = await incident(id!);
  assert.equal([done.status, done.resolution, done.resolvedBy], ['resolved', 'rolled back to 1.4.2', 'ci']);
  await eventually(() => hooks().some((h) => h.status === 'resolved'), { what: 'the resolved webhook' });
  const sent = hooks().length;

  const twice = await runHere(['incidents', 'resolve', id!, '--note', 'again']);
  assert.is(twice.code, 1);
  assert.match(twice.stderr, /already resolved/);
  await new Promise((r) => setTimeout(r, 1_000));
  assert.is(hooks().length, sent, 'no second resolved notification');
  assert.is(hooks().filter((h) => h.status === 'resolved').length, 1);
});

test('a report naming a rule with remediate starts that remediation', async () => {
  const opened = await runHere(['incidents', 'open', '--title', 'payments slow to answer', '--severity', 'danger', '--category', 'system', '--rule', 'payments-down', '--label', 'plugin=payments']);
  assert.is(opened.code, 0, opened.stderr);
  const id = /^opened incident (\S+) /m.exec(opened.stdout)![1]!;
  await eventually(() => restarts.includes('payments'), { timeoutMs: 30_000, what: 'the restart_plugin runbook calling the control endpoint' });
  const healed = await eventually(async () => { const i = await incident(id); return i.status === 'resolved' ? i : undefined; }, { timeoutMs: 30_000, what: 'the remediated incident resolved' });
  assert.ok(healed.timeline.some((e: { kind: string }) => e.kind === 'remediation'));
  assert.ok(healed.timeline.some((e: { kind: string }) => e.kind === 'verification'));
});

test('bad input: unknown id, missing or oversized log file, label format, enums, tokens, no serve', async () => {
  const env = (token?: string): Record<string, string> => (token ? { PLUGINOPS_TOKEN: token, PLUGINOPS_URL: url } : { PLUGINOPS_URL: url });
  const count = async () => (await w.api('GET', '/api/incidents?limit=500', { token: readToken })).body.data.length;
  const before = await count();
  const base = ['incidents', 'open', '--title', 't', '--severity', 'info', '--category', 'system'];

  const unknown = await runHere(['incidents', 'show', 'nope:1'], readToken);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /^error: no incident `nope:1`/m);
  assert.is((await cli(['incidents', 'ack', 'nope:1'], w.dir, { env: env(writeToken) })).code, 1);

  const missing = await cli([...base, '--log-file', 'gone.log'], w.dir, { env: env(writeToken) });
  assert.is(missing.code, 2);
  assert.match(missing.stderr, new RegExp(`cannot read --log-file ${join(w.dir, 'gone.log').replace(/[.]/g, '\\.')}: no such file`));
  writeFileSync(join(w.dir, 'huge.log'), 'x'.repeat(maxReportLogBytes + 1));
  const huge = await cli([...base, '--log-file', 'huge.log'], w.dir, { env: env(writeToken) });
  assert.is(huge.code, 1);
  assert.match(huge.stderr, /huge\.log is 262145 bytes; at most 262144 \(256 KiB\)/);
  const label = await cli([...base, '--label', 'plugin'], w.dir, { env: env(writeToken) });
  assert.is(label.code, 2);
  assert.match(label.stderr, /--label expects key=value, found "plugin"/);
  const severity = await cli(['incidents', 'open', '--title', 't', '--severity', 'fatal', '--category', 'weather'], w.dir, { env: env(writeToken) });
  assert.is(severity.code, 1);
  assert.match(severity.stderr, /\/severity: .*expected one of/);
  assert.match(severity.stderr, /\/category: /);
  const noNote = await cli(['incidents', 'resolve', 'x:1'], w.dir, { env: env(writeToken) });
  assert.is(noNote.code, 2);
  assert.match(noNote.stderr, /--note is required/);

  const anonymous = await cli([...base], w.dir, { env: env() });
  assert.is(anonymous.code, 4);
  assert.match(anonymous.stderr, /token/i);
  const reader = await cli([...base], w.dir, { env: env(readToken) });
  assert.is(reader.code, 4);
  assert.is(await count(), before, 'nothing was opened');

  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const down = await cli(['incidents', 'show', 'x:1', '--url', `http://127.0.0.1:${port}`], w.dir, { env: env(readToken) });
  assert.is(down.code, 1);
  assert.match(down.stderr, new RegExp(`no pluginops serve answered at http://127.0.0.1:${port}`));
});

test.run();
