// A multi-line secret (a PEM private key), a password sent base64-encoded behind a prefix (basic
// auth) and a parameter equal to a secret appear nowhere: not in the CLI's lines, JSON or errors, not in
// `executions logs|show|list`, not in any file of the store, not in a real serve's API answers or
// its event stream, not in the notification a channel receives. A run waiting for approval with
// that parameter still gets the real value once approved.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../cli/helpers.ts';
import { eventually, readToken, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';

const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const password = 'Sup3r-s3cret-pa55word!';

const leak = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: leak }
spec:
  notifications: [ops-hook]
  parameters:
    token: { type: string, default: none }
    retries: { type: number, default: 1 }
  steps:
    - id: print
      env: { TOKEN: "\${{ params.token }}" }
      run: |
        echo "the key:"
        printf '%s\\n' "$DEPLOY_KEY"
        echo "  indented: $(printf '%s' "$DEPLOY_KEY" | sed -n 3p)"
        echo "auth=Basic $(printf 'deploy:%s' "$API_PASS" | base64 -w0)"
        echo "auth=Basic $(printf 'user:%s' "$API_PASS" | base64 -w0)"
        echo "key64=$(printf '%s' "$DEPLOY_KEY" | base64 -w0)"
        echo "param=$TOKEN"
        echo "header=Basic $(printf 'ci:%s' "$API_PASS" | base64 -w0)" >> "$PLUGINOPS_OUTPUT"
        echo "failing with the key's second line: $(printf '%s' "$DEPLOY_KEY" | sed -n 2p)" >&2
        exit 1
    - id: tell
      uses: notify
      with: { channels: [ops-hook], title: "deploy key", text: "token \${{ params.token }}" }
`;

const gated = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: gated }
spec:
  parameters:
    token: { type: string, required: true }
    url: { type: string, required: true }
  approval: { required: true }
  steps:
    - id: use
      env: { TOKEN: "\${{ params.token }}", URL: "\${{ params.url }}" }
      run: printf '%s|%s' "$TOKEN" "$URL" > used.txt
`;

/** Pieces of text that would give the secrets away: every line of the key, the password, and the middle of each base64 text. */
function needles(): string[] {
  const inner = (text: string) => { const b = Buffer.from(text).toString('base64'); return b.slice(12, -4); };
  return [
    ...pem.split('\n').map((l) => l.trim()).filter((l) => l.length >= 3),
    password, encodeURIComponent(password),
    inner(`deploy:${password}`), inner(`user:${password}`), inner(`ci:${password}`), inner(pem),
  ];
}

function assertClean(what: string, text: string): void {
  for (const n of needles()) assert.not.ok(text.includes(n), `${what} shows ${JSON.stringify(n.slice(0, 30))}`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

let w: ServeWorld;
let env: Record<string, string>;

test.before(async () => {
  w = await serveWorld({ documents: leak, monitoring: ['historySize: 10'], extraProject: ['secrets: [DEPLOY_KEY, API_PASS]'] });
  writeFileSync(join(w.dir, 'pipelines', 'gated.yml'), gated);
  Object.assign(w.env, { DEPLOY_KEY: pem, API_PASS: password });
  env = { DEPLOY_KEY: pem, API_PASS: password };
});
test.after(async () => { await w.close(); });

test('the masker of the CLI, the store and serve masks each line, base64 at every alignment and parameters', async () => {
  // The run as the CLI shows it: lines on stdout, errors on stderr, JSON events.
  const lines = await cli(['run', 'leak', '-p', `token=${password}`], w.dir, { env });
  assert.is(lines.code, 1, lines.stderr);
  assert.match(lines.stdout, /\[print\] \*\*\*/, 'the key lines were printed, masked');
  assert.match(lines.stdout, /param=\*\*\*/);
  const json = await cli(['run', 'leak', '--json', '-p', `token=${password}`], w.dir, { env });
  assert.ok(json.stdout.includes('"header":"Basic '), 'the output is there');
  // An error message that quotes the value (a number expected) is masked like the rest.
  const refused = await cli(['run', 'leak', '-p', `retries=${password}`], w.dir, { env });
  assert.is(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /parameter `retries` is "\*\*\*", expected a number/);
  const ids = (JSON.parse((await cli(['executions', 'list', '--json'], w.dir, { env })).stdout) as Array<{ id: string }>).map((e) => e.id);
  assert.is(ids.length, 2);

  // The server: a run started through the API and followed on its event stream, then read back.
  await w.start([]);
  const started = await w.api('POST', '/api/executions', { token: writeToken, body: { workflow: 'leak', parameters: { token: password } } });
  assert.is(started.status, 202, JSON.stringify(started.body));
  const id = started.body.data.id as string;
  const stream = await fetch(`${w.proc!.url}/api/executions/${id}/logs/stream`, { headers: { authorization: `Bearer ${readToken}` } });
  const sse = await stream.text();
  assert.match(sse, /event: end/);
  assert.match(sse, /the key:/);
  const api: string[] = [];
  for (const path of ['/api/executions', `/api/executions/${id}`, `/api/executions/${id}/logs`, `/api/executions/${ids[0]}`, `/api/executions/${ids[0]}/logs`, `/api/runs/${id}`]) {
    const r = await w.api('GET', path, { token: readToken });
    assert.is(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    api.push(JSON.stringify(r.body));
  }
  const record = JSON.parse(api[1]!).data as { parameters: { token: string }; steps: { print: { outputs: { header: string } } } };
  assert.is(record.parameters.token, '***');
  assert.match(record.steps.print.outputs.header, /^Basic [A-Za-z0-9+/=]*\*\*\*/);
  const hook: string[] = await eventually(() => (w.got('/hook').length >= 6 ? w.receiver.requests.filter((r) => r.path === '/hook').map((r) => r.body) : undefined), { what: 'the notifications' });

  // The CLI reading the store: show, logs, list.
  const reads: string[] = [];
  for (const e of [...ids, id]) {
    for (const args of [['executions', 'show', e], ['executions', 'show', e, '--json'], ['executions', 'logs', e], ['executions', 'logs', e, '--json']]) {
      const r = await cli(args, w.dir, { env });
      assert.is(r.code, 0, r.stderr);
      reads.push(r.stdout + r.stderr);
    }
  }
  assert.ok(reads.some((t) => t.includes('parameters {"token":"***","retries":1}')), 'show prints the parameter masked');
  const store = filesUnder(join(w.dir, '.pluginops')).map((f) => [f, readFileSync(f, 'utf8')] as const);
  assert.ok(store.some(([, t]) => t.includes('the key:')), 'the logs are in the store');

  assertClean('CLI stdout', lines.stdout);
  assertClean('CLI stderr', lines.stderr);
  assertClean('CLI --json', json.stdout + json.stderr);
  assertClean('a CLI error', refused.stderr);
  assertClean('the event stream', sse);
  api.forEach((t, i) => assertClean(`API answer ${i}`, t));
  assert.ok(hook.some((t) => t.includes('token ***')), 'the notify step\'s message, masked');
  hook.forEach((t) => assertClean('a webhook notification', t));
  reads.forEach((t) => assertClean('executions show/logs', t));
  for (const [file, text] of store) assertClean(file, text);
  assertClean('the serve log', w.proc!.lines.map((l) => JSON.stringify(l)).join('\n'));
});

test('a parameter holding a secret is stored masked, and the approved run still gets its real value', async () => {
  const url = `https://deploy:${password}@example.test/hook`;
  const waiting = await cli(['run', 'gated', '-p', `token=${password}`, '-p', `url=${url}`], w.dir, { env });
  assert.is(waiting.code, 75, waiting.stdout + waiting.stderr);
  const [run] = JSON.parse((await cli(['executions', 'list', '--json', '--status', 'waiting'], w.dir, { env })).stdout) as Array<{ id: string; parameters: Record<string, string> }>;
  assert.equal(run!.parameters, { token: '***', url: 'https://deploy:***@example.test/hook' });
  const approved = await cli(['approve', run!.id, '--as', 'someone'], w.dir, { env });
  assert.is(approved.code, 0, approved.stdout + approved.stderr);
  assert.is(readFileSync(join(w.dir, 'used.txt'), 'utf8'), `${password}|${url}`);
  for (const file of filesUnder(join(w.dir, '.pluginops'))) assertClean(file, readFileSync(file, 'utf8'));
});

test.run();
