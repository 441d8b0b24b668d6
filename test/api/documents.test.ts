// Documents of every kind through the API, in process: create, replace and delete HealthCheck,
// AlertRule and ActionPlan documents as files (seen by the listings), with every refusal coded
// and nothing written: no token, a scope below admin, path-like ids, an unknown kind, a kind that
// differs from the path's, a body too large, references to documents that do not exist, a file
// holding other documents, and the project's switch that forbids writes.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi, tokens, type Harness } from './helpers.ts';

const check = (id: string, port: number) => `apiVersion: pluginops/v1\nkind: HealthCheck\nmetadata: { id: ${id} }\nspec: { type: tcp, host: 127.0.0.1, port: ${port} }\n`;
const rule = (id: string, source: string, plan?: string) => `apiVersion: pluginops/v1\nkind: AlertRule\nmetadata: { id: ${id} }\nspec:\n  source: { healthCheck: ${source} }\n  severity: warning\n${plan ? `  remediate: { plan: ${plan} }\n` : ''}`;
const plan = (id: string, say: string) => `apiVersion: pluginops/v1\nkind: ActionPlan\nmetadata: { id: ${id} }\nspec:\n  steps:\n    - { id: go, run: "echo ${say}" }\n`;

let h: Harness;
test.before(async () => { h = await startApi(); });
test.after(async () => { await h.close(); });

const yaml = 'application/yaml';
const send = (method: string, path: string, body?: string, token: string = tokens.admin) =>
  h.call(method, path, { token, ...(body !== undefined ? { body, type: yaml } : {}) });
const ids = async (kind: string) => ((await h.call('GET', `/api/documents/${kind}`, { token: tokens.read })).body.data as Array<{ id: string }>).map((d) => d.id);

/** Every file under the project, with its content: what "nothing written" compares. */
function snapshot(dir = h.dir): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === '.pluginops') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  // A file escaping the project would land beside it.
  for (const name of ['x.yml', 'x1.yml', 'b.yml', 'checks']) if (existsSync(join(dirname(dir), name))) out.set(join(dirname(dir), name), 'escaped');
  return out;
}

test('HealthCheck: create (201, checks/<id>.yml), replace (200), listed, shown, deleted (file removed), then 404', async () => {
  const created = await send('POST', '/api/documents/HealthCheck', check('db', 5432));
  assert.is(created.status, 201, created.text);
  assert.equal(created.body.data, { id: 'db', kind: 'HealthCheck', file: 'pipelines/checks/db.yml', created: true });
  assert.is(created.headers.get('location'), '/api/documents/HealthCheck/db');
  assert.is(readFileSync(join(h.dir, 'pipelines', 'checks', 'db.yml'), 'utf8'), check('db', 5432));
  assert.equal(await ids('HealthCheck'), ['db', 'svc']);

  const again = await send('POST', '/api/documents/HealthCheck', check('db', 1));
  assert.is(again.status, 409);
  assert.equal(again.body.details, { reason: 'exists', file: 'pipelines/checks/db.yml' });

  const replaced = await send('PUT', '/api/documents/HealthCheck/db', check('db', 6543));
  assert.is(replaced.status, 200);
  assert.is(replaced.body.data.created, false);
  const shown = await h.call('GET', '/api/documents/HealthCheck/db', { token: tokens.read });
  assert.is(shown.body.data.document.spec.port, 6543);
  assert.not.ok(readdirSync(join(h.dir, 'pipelines', 'checks')).some((f) => f.endsWith('.tmp')), 'no temp file left');

  const deleted = await send('DELETE', '/api/documents/HealthCheck/db');
  assert.is(deleted.status, 200);
  assert.equal(deleted.body.data, { id: 'db', kind: 'HealthCheck', file: 'pipelines/checks/db.yml' });
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'checks', 'db.yml')));
  assert.is((await h.call('GET', '/api/documents/HealthCheck/db', { token: tokens.read })).status, 404);
  assert.is((await send('DELETE', '/api/documents/HealthCheck/db')).status, 404);
  assert.equal(await ids('HealthCheck'), ['svc']);
});

test('concurrent creates of one id: exactly one is 201, the others 409, and the file is the winner\'s', async () => {
  const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => send('POST', '/api/documents/HealthCheck', check('race', 7000 + i))));
  const statuses = answers.map((a) => a.status).sort();
  assert.equal(statuses, [201, 409, 409, 409, 409], answers.map((a) => a.text).join('\n'));
  const winner = answers.findIndex((a) => a.status === 201);
  assert.is(readFileSync(join(h.dir, 'pipelines', 'checks', 'race.yml'), 'utf8'), check('race', 7001 + winner));
  // A delete racing a rule that names the check: never both, so the project always loads.
  const [removed, named] = await Promise.all([send('DELETE', '/api/documents/HealthCheck/race'), send('POST', '/api/documents/AlertRule', rule('race-down', 'race'))]);
  assert.ok((removed.status === 200) !== (named.status === 201), `delete ${removed.status}, rule ${named.status}`);
  if (named.status === 201) assert.is((await send('DELETE', '/api/documents/AlertRule/race-down')).status, 200);
  if (removed.status !== 200) assert.is((await send('DELETE', '/api/documents/HealthCheck/race')).status, 200);
});

test('AlertRule and ActionPlan: create, replace, delete, reflected in the listings', async () => {
  assert.is((await send('PUT', '/api/documents/ActionPlan/flush', plan('flush', 'one'))).status, 201);
  assert.ok(existsSync(join(h.dir, 'pipelines', 'plans', 'flush.yml')));
  assert.ok(((await h.call('GET', '/api/workflows', { token: tokens.read })).body.data as Array<{ id: string }>).some((w) => w.id === 'flush'));
  assert.is((await send('PUT', '/api/documents/ActionPlan/flush', plan('flush', 'two'))).status, 200);
  assert.match(readFileSync(join(h.dir, 'pipelines', 'plans', 'flush.yml'), 'utf8'), /echo two/);

  const created = await send('PUT', '/api/documents/AlertRule/svc-slow', rule('svc-slow', 'svc', 'flush'));
  assert.is(created.status, 201, created.text);
  assert.is(created.body.data.file, 'pipelines/rules/svc-slow.yml');
  assert.equal(await ids('AlertRule'), ['svc-down', 'svc-slow']);
  assert.is((await send('PUT', '/api/documents/AlertRule/svc-slow', rule('svc-slow', 'svc'))).status, 200);
  assert.not.match(readFileSync(join(h.dir, 'pipelines', 'rules', 'svc-slow.yml'), 'utf8'), /remediate/);

  assert.is((await send('DELETE', '/api/documents/AlertRule/svc-slow')).status, 200);
  assert.equal(await ids('AlertRule'), ['svc-down']);
  assert.is((await send('DELETE', '/api/documents/ActionPlan/flush')).status, 200);
  assert.not.ok(((await h.call('GET', '/api/workflows', { token: tokens.read })).body.data as Array<{ id: string }>).some((w) => w.id === 'flush'));
});

test('a document naming what the project lacks is 422 at its line; deleting what others name is 409', async () => {
  const before = snapshot();
  const dangling = await send('PUT', '/api/documents/AlertRule/lost', rule('lost', 'nothere'));
  assert.is(dangling.status, 422);
  assert.is(dangling.body.details[0].code, 'E_UNKNOWN_REFERENCE');
  assert.is(dangling.body.details[0].line, 5);
  assert.match(dangling.body.details[0].message, /HealthCheck `nothere`.*expected one of: svc/);
  assert.equal(snapshot(), before);

  assert.is((await send('PUT', '/api/documents/HealthCheck/cache', check('cache', 6379))).status, 201);
  assert.is((await send('PUT', '/api/documents/AlertRule/cache-down', rule('cache-down', 'cache'))).status, 201);
  const named = await send('DELETE', '/api/documents/HealthCheck/cache');
  assert.is(named.status, 409);
  assert.is(named.body.details.reason, 'referenced');
  assert.equal(named.body.details.references, ['pipelines/rules/cache-down.yml:5:26']);
  assert.ok(existsSync(join(h.dir, 'pipelines', 'checks', 'cache.yml')));
  assert.is((await send('DELETE', '/api/documents/AlertRule/cache-down')).status, 200);
  assert.is((await send('DELETE', '/api/documents/HealthCheck/cache')).status, 200);
});

test('a document in a file that holds others: replace and delete are 409 naming the file, which stays byte for byte', async () => {
  const ops = join(h.dir, 'pipelines', 'ops.yml');
  const before = readFileSync(ops, 'utf8');
  const put = await send('PUT', '/api/documents/HealthCheck/svc', check('svc', 80));
  assert.is(put.status, 409);
  assert.equal(put.body.details, { reason: 'file-holds-other-documents', file: 'pipelines/ops.yml' });
  const del = await send('DELETE', '/api/documents/AlertRule/svc-down');
  assert.is(del.status, 409);
  assert.match(del.body.message, /pipelines\/ops\.yml holds other documents/);
  assert.is(readFileSync(ops, 'utf8'), before);
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'checks', 'svc.yml')));
});

test('bad input is refused with a code and writes nothing', async () => {
  const before = snapshot();
  const cases: Array<[string, string, string | undefined, string, number, string]> = [
    ['no token', 'PUT', check('x1', 1), '/api/documents/HealthCheck/x1', 401, 'E_UNAUTHORIZED'],
    ['wrong kind in the body', 'PUT', rule('x1', 'svc'), '/api/documents/HealthCheck/x1', 422, 'E_VALIDATION'],
    ['id differs from the path', 'PUT', check('x2', 1), '/api/documents/HealthCheck/x1', 422, 'E_VALIDATION'],
    ['unknown kind', 'PUT', check('x1', 1), '/api/documents/Widget/x1', 404, 'E_NOT_FOUND'],
    ['unknown kind (create)', 'POST', check('x1', 1), '/api/documents/healthcheck', 404, 'E_NOT_FOUND'],
    ['encoded ../x', 'PUT', check('x1', 1), '/api/documents/HealthCheck/..%2Fx', 400, 'E_VALIDATION'],
    ['encoded a/b', 'PUT', check('x1', 1), '/api/documents/HealthCheck/a%2Fb', 400, 'E_VALIDATION'],
    ['..', 'PUT', check('x1', 1), '/api/documents/HealthCheck/..', 400, 'E_VALIDATION'],
    ['%2e%2e%2f', 'PUT', check('x1', 1), '/api/documents/HealthCheck/%2e%2e%2f', 400, 'E_VALIDATION'],
    ['%2e%2e', 'DELETE', undefined, '/api/documents/HealthCheck/%2e%2e', 400, 'E_VALIDATION'],
    ['x.y (not a document id)', 'PUT', check('x1', 1), '/api/documents/HealthCheck/x.y', 400, 'E_VALIDATION'],
    ['encoded kind ../', 'PUT', check('x1', 1), '/api/documents/..%2F..%2Fetc/x1', 400, 'E_VALIDATION'],
  ];
  for (const [what, method, body, path, status, code] of cases) {
    const headers: Record<string, string> = what === 'no token' ? {} : { authorization: `Bearer ${tokens.admin}` };
    if (body !== undefined) headers['content-type'] = yaml;
    const r = await h.raw(method, path, { headers, ...(body !== undefined ? { body: Buffer.from(body) } : {}) });
    assert.is(r.status, status, `${what}: ${r.text}`);
    assert.is(JSON.parse(r.text).code, code, what);
  }
  // Unencoded `../` leaves the route's shape: no route, nothing read or written.
  for (const path of ['/api/documents/HealthCheck/../x', '/api/documents/HealthCheck/a/b', '/api/documents/../../x']) {
    const r = await h.raw('PUT', path, { headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': yaml }, body: Buffer.from(check('x', 1)) });
    assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
  }
  const mismatch = await send('PUT', '/api/documents/HealthCheck/x1', rule('x1', 'svc'));
  assert.match(mismatch.body.message, /found a AlertRule; expected a HealthCheck \(the kind in the path\)/);
  assert.is(mismatch.body.details[0].line, 2);
  const other = await send('PUT', '/api/documents/HealthCheck/x1', check('x2', 1));
  assert.match(other.body.message, /metadata\.id is `x2`, expected `x1`/);
  const located = await send('PUT', '/api/documents/HealthCheck/x1', 'apiVersion: pluginops/v1\nkind: HealthCheck\nmetadata: { id: x1 }\nspec: { type: tcp, host: 127.0.0.1, prot: 1 }\n');
  assert.is(located.status, 422);
  assert.ok(located.body.details.some((d: { line: number; col: number }) => d.line === 4), JSON.stringify(located.body.details));
  for (const d of located.body.details) assert.ok(d.line >= 1 && d.col >= 1);
  assert.equal(snapshot(), before);
});

test('a body past server.bodyLimit is 413 and writes nothing', async () => {
  const small = await startApi({ project: ['server:', '  bodyLimit: 1024', '  tokens:', '    - { name: ops-admin, token: { env: ADMIN_TOKEN }, scopes: [admin] }'] });
  try {
    const before = snapshot(small.dir);
    const big = `${check('big', 1)}# ${'x'.repeat(2000)}\n`;
    const r = await small.call('PUT', '/api/documents/HealthCheck/big', { token: tokens.admin, body: big, type: yaml });
    assert.is(r.status, 413);
    assert.is(r.body.code, 'E_TOO_LARGE');
    assert.equal(snapshot(small.dir), before);
  } finally { await small.close(); }
});

test('server.documentWrites: false refuses every document write (409 document-writes-off), reads still answer', async () => {
  const locked = await startApi({ project: ['server:', '  documentWrites: false', '  tokens:', '    - { name: ops-admin, token: { env: ADMIN_TOKEN }, scopes: [admin] }'] });
  try {
    const before = snapshot(locked.dir);
    const writes: Array<[string, string, string | undefined]> = [
      ['POST', '/api/documents/HealthCheck', check('db', 1)],
      ['PUT', '/api/documents/HealthCheck/db', check('db', 1)],
      ['PUT', '/api/workflows/lite', plan('lite', 'x')],
      ['DELETE', '/api/documents/Workflow/quick', undefined],
    ];
    for (const [method, path, body] of writes) {
      const r = await locked.call(method, path, { token: tokens.admin, ...(body !== undefined ? { body, type: yaml } : {}) });
      assert.is(r.status, 409, `${method} ${path}`);
      assert.is(r.body.code, 'E_CONFLICT');
      assert.is(r.body.details.reason, 'document-writes-off');
      assert.match(r.body.message, /server\.documentWrites: false/);
    }
    assert.equal(snapshot(locked.dir), before);
    assert.is((await locked.call('GET', '/api/documents/Workflow/quick', { token: tokens.admin })).status, 200);
  } finally { await locked.close(); }
});

test.run();
