// Incidents opened by hand over the real API and monitor: a report opens one (201, Location,
// `manual` evidence masked and attributed to the token's name, the `opened` entry saying who),
// the same rule and labels join it (200), other labels open another; refused reports (bad enums,
// a log over the cap, an unknown rule, no write scope) open nothing; an acknowledgement's note is
// kept on the timeline; resolving twice is a conflict.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dedupKey } from '../../src/monitor/alerts/key.ts';
import { maxReportLogBytes } from '../../src/monitor/incidents/manual.ts';
import { secret, startApi, tokens, type Harness } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await startApi(); });
test.after(async () => { await h.close(); });

const report = { title: 'checkout answers 502', severity: 'danger', category: 'performance', labels: { plugin: 'payments', region: 'eu' } };
const open = (json: unknown, token: string = tokens.write) => h.call('POST', '/api/incidents', { token, json });
const count = () => h.monitor.incidents().length;

test('a report opens an incident: 201, Location, manual evidence by the token\'s name, masked', async () => {
  const r = await open({ ...report, log: `GET /checkout 502\nupstream said token=${secret}\n` });
  assert.is(r.status, 201, r.text);
  const incident = r.body.data;
  assert.is(r.headers.get('location'), `/api/incidents/${encodeURIComponent(incident.id)}`);
  assert.is(incident.ruleId, 'manual');
  assert.is(incident.dedupKey, dedupKey('manual', report.labels));
  assert.equal([incident.status, incident.severity, incident.category, incident.title], ['open', 'danger', 'performance', report.title]);
  assert.equal(incident.timeline[0], { at: incident.openedAt, kind: 'opened', text: report.title, by: 'ops-writer' });
  assert.equal(incident.evidence.length, 1);
  assert.equal([incident.evidence[0].source, incident.evidence[0].by], ['manual', 'ops-writer']);
  assert.equal(incident.evidence[0].lines.map((l: { text: string }) => l.text), ['GET /checkout 502', 'upstream said token=***']);
  assert.not.ok(JSON.stringify(h.monitor.incident(incident.id)).includes(secret), 'the secret is not kept either');
  assert.is(incident.autoResolveAt, undefined, 'nothing resolves it but a person');
  assert.is(h.monitor.incident(incident.id)?.alertsFiring, true, 'it escalates while open');
});

test('the same rule and labels join it (200); other labels open another', async () => {
  const first = h.monitor.incidents().find((i) => i.ruleId === 'manual')!;
  const joined = await open({ ...report, severity: 'critical', labels: { region: 'eu', plugin: 'payments' }, log: 'still 502' }, tokens.deploy);
  assert.is(joined.status, 200, joined.text);
  assert.is(joined.headers.get('location'), null);
  assert.is(joined.body.data.id, first.id);
  assert.is(joined.body.data.severity, 'critical', 'a worse report raises the severity');
  assert.equal(joined.body.data.evidence.map((e: { by: string }) => e.by), ['ops-writer', 'deployer']);
  assert.ok(joined.body.data.timeline.some((e: { kind: string; by?: string }) => e.kind === 'joined' && e.by === 'deployer'));
  const other = await open({ ...report, labels: { plugin: 'payments', region: 'us' } });
  assert.is(other.status, 201);
  assert.is.not(other.body.data.id, first.id);
  const noLog = await open({ title: 'queue stuck', severity: 'warning', category: 'automation' });
  assert.is(noLog.status, 201);
  assert.is(noLog.body.data.evidence, undefined);
});

test('a report naming a rule takes its dedup key; an unknown rule is 404 and opens nothing', async () => {
  const r = await open({ ...report, ruleId: 'svc-down', labels: {} });
  assert.is(r.status, 201, r.text);
  assert.is(r.body.data.dedupKey, dedupKey('svc-down', {}));
  const before = count();
  const unknown = await open({ ...report, ruleId: 'nope' });
  assert.is(unknown.status, 404);
  assert.is(unknown.body.code, 'E_NOT_FOUND');
  assert.match(unknown.body.message, /nope/);
  assert.is(count(), before);
});

test('refused reports open nothing: enums, label names, the log cap, scopes', async () => {
  const before = count();
  const severity = await open({ ...report, severity: 'fatal' });
  assert.is(severity.status, 422);
  assert.is(severity.body.code, 'E_VALIDATION');
  assert.ok(severity.body.details.some((d: { path: string }) => d.path === '/severity'), severity.text);
  const category = await open({ ...report, category: 'weather' });
  assert.is(category.status, 422);
  assert.ok(category.body.details.some((d: { path: string }) => d.path === '/category'), category.text);
  const label = await open({ ...report, labels: { 'bad name': 'x' } });
  assert.is(label.status, 422);
  const missing = await open({ severity: 'info', category: 'system' });
  assert.is(missing.status, 422);
  assert.match(missing.text, /title/);
  const long = await open({ ...report, log: 'x'.repeat(maxReportLogBytes + 1) });
  assert.is(long.status, 422);
  assert.ok(long.body.details.some((d: { path: string }) => d.path === '/log'), long.text.slice(0, 300));
  // Fewer characters than the cap, more bytes: refused by size, naming the field and the cap.
  const wide = await open({ ...report, log: '€'.repeat(Math.ceil(maxReportLogBytes / 3) + 10) });
  assert.is(wide.status, 422);
  assert.equal(wide.body.details.map((d: { path: string }) => d.path), ['/log']);
  assert.match(wide.body.message, /262144/);
  assert.is((await h.call('POST', '/api/incidents', { json: report })).status, 401);
  assert.is((await open(report, tokens.read)).status, 403);
  assert.is(count(), before, 'nothing was opened');
});

test('acknowledge keeps its note; resolving twice is a conflict; unknown ids are 404', async () => {
  const id = (await open({ ...report, labels: { plugin: 'search' } })).body.data.id as string;
  for (const action of ['acknowledge', 'resolve']) {
    const json = action === 'resolve' ? { resolution: 'x' } : {};
    assert.is((await h.call('POST', `/api/incidents/${encodeURIComponent(id)}/${action}`, { json })).status, 401, action);
    assert.is((await h.call('POST', `/api/incidents/${encodeURIComponent(id)}/${action}`, { token: tokens.read, json })).status, 403, action);
  }
  assert.is(h.monitor.incident(id)?.status, 'open', 'refused calls changed nothing');
  const acked = await h.call('POST', `/api/incidents/${encodeURIComponent(id)}/acknowledge`, { token: tokens.write, json: { note: 'looking at the pool', timeout: '30m' } });
  assert.is(acked.status, 200, acked.text);
  const entry = acked.body.data.timeline.at(-1);
  assert.equal([entry.kind, entry.by], ['acknowledged', 'ops-writer']);
  assert.match(entry.text, /looking at the pool/);
  assert.is((await h.call('POST', `/api/incidents/${encodeURIComponent(id)}/acknowledge`, { token: tokens.write, json: { note: 5 } })).status, 422);
  const resolved = await h.call('POST', `/api/incidents/${encodeURIComponent(id)}/resolve`, { token: tokens.write, json: { resolution: 'pool resized' } });
  assert.is(resolved.status, 200);
  const again = await h.call('POST', `/api/incidents/${encodeURIComponent(id)}/resolve`, { token: tokens.write, json: { resolution: 'again' } });
  assert.is(again.status, 409);
  assert.is(again.body.code, 'E_CONFLICT');
  assert.is((await h.call('POST', '/api/incidents/nope:1/resolve', { token: tokens.write, json: { resolution: 'x' } })).status, 404);
  // A report with the resolved incident's key opens a new one.
  const reopened = await open({ ...report, labels: { plugin: 'search' } });
  assert.is(reopened.status, 201);
  assert.is.not(reopened.body.data.id, id);
});

test('label values and a resolution are masked before the monitor keeps them', async () => {
  const r = await open({ ...report, labels: { plugin: 'payments', key: secret } });
  assert.is(r.status, 201, r.text);
  const id = r.body.data.id as string;
  const resolved = await h.call('POST', `/api/incidents/${encodeURIComponent(id)}/resolve`, { token: tokens.write, json: { resolution: `rotated ${secret}` } });
  assert.is(resolved.status, 200, resolved.text);
  const kept = h.monitor.incident(id)!;
  assert.is(kept.labels.key, '***');
  assert.is(kept.resolution, 'rotated ***');
  assert.not.ok(JSON.stringify(h.monitor.snapshot()).includes(secret), 'nothing the state file is written from holds it');
});

test.run();
