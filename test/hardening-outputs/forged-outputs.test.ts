// A parameter value holding newlines must not add or replace an output. The shipped
// collect_diagnostics once wrote `directory=$dir` and then removed `$DIR`: an `outputDir` of
// `a⏎directory=VICTIM⏎b` made it remove VICTIM. Through the real CLI (a separate process) and a
// real `serve` (POST /api/runs), the victim stays: the parameter's format refuses the value, the
// runbook writes outputs with `pluginops_output`, and a hand-written `name=$value` that repeats
// a name fails the step (E_OUTPUTS) with no output set.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliProcess, root } from '../cli/helpers.ts';
import { events, finished, stepEvent } from '../delivery/helpers.ts';
import { launch } from '../serve/process.ts';
import { eventually } from '../serve/helpers.ts';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), `pluginops-forged-${prefix}-`));

/** A directory with a file in it, that nothing of the run should touch. */
function victim(): string {
  const dir = join(temp('victim'), 'victim');
  mkdirSync(dir);
  writeFileSync(join(dir, 'precious.txt'), 'keep me\n');
  return dir;
}
const intact = (dir: string) => existsSync(join(dir, 'precious.txt')) && readFileSync(join(dir, 'precious.txt'), 'utf8') === 'keep me\n';

const hostile = (target: string) => `a\ndirectory=${target}\nb`;

const shipped = readFileSync(join(root, 'pipelines', 'collect_diagnostics.yml'), 'utf8');

/** The runbook as shipped before: outputs written by hand as `name=$value`, no format on outputDir. */
const collectStep = shipped
  .replace(', format: path', '')
  .replace('pluginops_output directory "$dir"\n        pluginops_output logs "$logs"', '{ echo "directory=$dir"; echo "logs=$logs"; } >> "$PLUGINOPS_OUTPUT"');
const handWritten = collectStep.slice(0, collectStep.indexOf('    - id: pack')) + `    - id: pack
      needs: [collect]
      env:
        DIR: \${{ steps.collect.outputs.directory }}
      run: |
        [ -d "$DIR" ] || { echo "nothing collected at \\"$DIR\\"" >&2; exit 1; }
        tar -czf "$DIR.tar.gz" -C "$(dirname -- "$DIR")" "$(basename -- "$DIR")"
        rm -rf -- "$DIR"
`;

test('pluginops run collect_diagnostics -p outputDir=<newlines> refuses the value (E_PARAMETER) and removes nothing', async () => {
  const dir = temp('cli');
  const target = victim();

  const r = await cliProcess(['run', 'collect_diagnostics', '-p', `outputDir=${hostile(target)}`], dir).done;

  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /E_PARAMETER: parameter `outputDir` is "a\\ndirectory=.*": it holds a control character/);
  assert.ok(intact(target), 'the victim directory is still there');
  assert.not.ok(existsSync(join(dir, 'a\ndirectory=')), 'nothing was collected');
});

test('without the format, the runbook\'s own outputs still cannot be forged: the bundle it made is packed, the victim stays', async () => {
  const dir = temp('noformat');
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'collect_diagnostics.yml'), shipped.replace(', format: path', ''));
  const target = victim();

  const r = await cliProcess(['run', 'collect_diagnostics', '--json', '-p', `outputDir=${hostile(target)}`], dir).done;

  assert.is(r.code, 0, r.stdout + r.stderr);
  const evs = events(r.stdout);
  const directory = stepEvent(evs, 'collect')?.outputs?.directory ?? '';
  assert.ok(directory.includes(`\ndirectory=${target}\n`), `the whole value is one output: ${JSON.stringify(directory)}`);
  assert.ok(intact(target), 'the victim directory is still there');
  assert.ok(existsSync(stepEvent(evs, 'pack')!.outputs!.archive!), 'the archive of the bundle is written');
  assert.not.ok(existsSync(directory), 'the bundle directory it made is what was removed');
});

test('a script that writes `directory=$dir` by hand fails with E_OUTPUTS naming the key; no output is set and nothing is removed', async () => {
  const dir = temp('hand');
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'collect_diagnostics.yml'), handWritten);
  const target = victim();

  const r = await cliProcess(['run', 'collect_diagnostics', '--json', '-p', `outputDir=${hostile(target)}`], dir).done;

  assert.is(r.code, 1, r.stdout + r.stderr);
  const evs = events(r.stdout);
  assert.equal(finished(evs), { collect: 'failed', pack: 'skipped' });
  const collect = stepEvent(evs, 'collect')!;
  assert.match(collect.error ?? '', /^E_OUTPUTS \$PLUGINOPS_OUTPUT line 2 sets `directory` again \(first set on line 1\)/);
  assert.equal(collect.outputs ?? {}, {});
  assert.ok(intact(target), 'the victim directory is still there');
});

test('POST /api/runs to a real serve: the hostile outputDir is refused with E_PARAMETER (422); the victim stays', async () => {
  const dir = temp('serve');
  const token = 'w-forged0123456789abcdef0123456789';
  writeFileSync(join(dir, 'pluginops.yml'), [
    'apiVersion: pluginops/v1', 'kind: Project',
    'server:', '  tokens:', '    - { name: ci, token: { env: API_WRITE }, scopes: [read, write] }',
  ].join('\n') + '\n');
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'collect_unchecked.yml'), handWritten.replace('id: collect_diagnostics', 'id: collect_unchecked'));
  const target = victim();
  const serve = launch(dir, { ...process.env, API_WRITE: token } as Record<string, string>, ['--port', '0']);
  try {
    const url = await serve.listening;
    const post = async (templateId: string) => {
      const res = await fetch(`${url}/api/runs`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ templateId, data: { outputDir: hostile(target) } }),
      });
      return { status: res.status, body: await res.json() as { data?: { id: string }; details?: unknown; message?: string } };
    };

    const shippedRun = await post('collect_diagnostics');
    assert.is(shippedRun.status, 422, JSON.stringify(shippedRun.body));
    assert.match(JSON.stringify(shippedRun.body), /E_PARAMETER/);
    assert.match(JSON.stringify(shippedRun.body), /outputDir/);

    // A plan without the format runs; its hand-written outputs are refused at the step.
    const unchecked = await post('collect_unchecked');
    assert.is(unchecked.status, 202, JSON.stringify(unchecked.body));
    const id = unchecked.body.data!.id;
    const done = await eventually(async () => {
      const res = await fetch(`${url}/api/runs/${id}`, { headers: { authorization: `Bearer ${token}` } });
      const run = (await res.json() as { data: { status: string; steps: Record<string, { status: string; error?: string }> } }).data;
      return run.status === 'failed' ? run : undefined;
    }, { what: 'the run to fail' });
    assert.is(done.steps.collect!.status, 'failed');
    assert.match(done.steps.collect!.error ?? '', /E_OUTPUTS .*`directory`/);
    assert.ok(intact(target), 'the victim directory is still there');
  } finally {
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
});

test.run();
