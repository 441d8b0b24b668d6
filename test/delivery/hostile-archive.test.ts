// Deploying hostile or slow archives through the real `plugin/deploy` step and the CLI as a
// separate process: a nesting bomb is refused at once with a coded error, a slow unpacking stops
// at the step's timeout, and neither leaves an `.incoming-*` directory or a new live release.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { deepDirectoryBomb } from '../archive/hostile-archives.ts';
import { fileListBody } from '../archive/helpers.ts';
import { cliProcess, deliveryProject, events, home, liveRelease, stepEvent } from './helpers.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const deployWorkflow = (archive: string, sha: string, timeout: string) => `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: deploy_given }
spec:
  steps:
    - id: deploy
      uses: plugin/deploy
      timeout: ${timeout}
      with: { archive: ${archive}, sha256: ${sha} }
`;

/** Runs the workflow as users do (a child process), timing it; the events and what is left in the target. */
async function deploy(dir: string, timeout: string, archiveFile: string, sha: string) {
  writeFileSync(join(dir, 'deploy.yml'), deployWorkflow(archiveFile, sha, timeout));
  const t0 = Date.now();
  const r = await cliProcess(['run', 'deploy.yml', '--plugin', 'plugins/hello', '--json'], dir).done;
  const ms = Date.now() - t0;
  const releases = join(home(dir, 'hello'), 'releases');
  return { r, ms, evs: events(r.stdout), left: existsSync(releases) ? readdirSync(releases) : [] };
}

test('a 2,000-deep directory bomb (a 5 s step timeout) is refused at once with E_UNSAFE_ENTRY and leaves nothing', async () => {
  const dir = deliveryProject('hello');
  const bytes = await deepDirectoryBomb(2000);
  writeFileSync(join(dir, 'bomb.tar.gz'), bytes);
  const { r, ms, evs, left } = await deploy(dir, '5s', 'bomb.tar.gz', sha256(bytes));
  assert.is(r.code, 1, r.stderr + r.stdout.slice(-2000));
  const step = stepEvent(evs, 'deploy')!;
  assert.is(step.status, 'failed');
  // The step itself, well inside its timeout; the process (start-up included) far below a minute.
  assert.ok(step.durationMs! < 5000, `the step took ${step.durationMs}ms`);
  assert.ok(ms < 30_000, `the process took ${ms}ms`);
  assert.match(step.error ?? '', /\(E_UNSAFE_ENTRY\).*maxDepth is 64/);
  assert.equal(left, []);
  assert.is(liveRelease(dir, 'hello'), undefined);
});

/** A valid archive whose one file of zeros takes longer to unpack than a short timeout (small compressed). */
async function slowArchive(file: string, size: number): Promise<string> {
  const chunk = Buffer.alloc(1 << 20);
  const hash = createHash('sha256');
  for (let at = 0; at < size; at += chunk.length) hash.update(chunk);
  const p = pack();
  const out = pipeline(p, createGzip({ level: 1 }), createWriteStream(file));
  const list = JSON.parse(fileListBody({ zeros: '' })) as { files: Array<Record<string, unknown>> };
  Object.assign(list.files[0]!, { size, sha256: hash.digest('hex') });
  p.entry({ name: 'PLUGINOPS-FILES.json', mtime: new Date(0) }, JSON.stringify(list));
  const entry = p.entry({ name: 'zeros', size, mtime: new Date(0) });
  for (let at = 0; at < size; at += chunk.length) {
    if (!entry.write(chunk)) await new Promise<void>((r) => entry.once('drain', () => r()));
  }
  entry.end(undefined);
  p.finalize();
  await out;
  return sha256(readFileSync(file));
}

test('an unpacking longer than the step timeout stops at the timeout: no .incoming-* left, nothing goes live later', async () => {
  const dir = deliveryProject('hello');
  const file = join(dir, 'slow.tar.gz');
  const sha = await slowArchive(file, 256 << 20);
  const { r, ms, evs, left } = await deploy(dir, '300ms', 'slow.tar.gz', sha);
  const step = stepEvent(evs, 'deploy');
  assert.is(step?.status, 'timed_out', r.stdout.slice(-2000) + r.stderr);
  assert.ok(step!.durationMs! < 5000, `the step took ${step!.durationMs}ms`);
  assert.ok(ms < 30_000, `the process took ${ms}ms`);
  assert.equal(left, []);
  assert.is(liveRelease(dir, 'hello'), undefined);
});

test.run();
