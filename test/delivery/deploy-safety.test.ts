// A deploy killed at any instant, and hostile or broken inputs: the live release is always a
// complete, verified one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArchive, verifyTree } from '../../src/plugins/archive/index.ts';
import { deployToDirectory } from '../../src/plugins/releases/directory.ts';
import { uploadArchive } from '../../src/plugins/releases/http.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { root } from '../cli/helpers.ts';

const work = mkdtempSync(join(tmpdir(), 'pluginops-deploy-'));

async function bigPlugin(version: string, files: number) {
  const dir = join(work, `src-${version}`);
  for (let i = 0; i < files; i++) {
    mkdirSync(join(dir, `d${i % 20}`), { recursive: true });
    writeFileSync(join(dir, `d${i % 20}`, `f${i}.txt`), `${version} ${i} `.repeat(200));
  }
  return buildArchive({ root: dir, outDir: join(work, 'out'), name: `big-${version}` });
}

const deploy = (targetPath: string, archive: string, sha256: string, version: string) =>
  deployToDirectory({ targetPath, plugin: 'big', version, archive, sha256, keep: 5, by: 'test', now: new Date(), log: () => undefined });

const live = (target: string) => readlinkSync(join(target, 'big', 'current'));

test('a deploy SIGKILLed at any moment leaves the old or the new release live, complete and verified', async () => {
  const v1 = await bigPlugin('1.0.0', 400);
  const v2 = await bigPlugin('2.0.0', 3000);
  const outcomes = new Set<string>();
  for (const delay of [5, 40, 80, 120, 160, 220, 300]) {
    const target = mkdtempSync(join(work, 'target-'));
    await deploy(target, v1.archive, v1.sha256, '1.0.0');
    const before = live(target);
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'test/delivery/fixtures/deploy-child.ts'), target, v2.archive, v2.sha256, '2.0.0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('start')) r(); }));
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const now = live(target);
    outcomes.add(now === before ? 'old' : 'new');
    assert.ok(now === before || now.startsWith('releases/2.0.0-'), now);
    const check = await verifyTree(join(target, 'big', now));
    assert.ok(check.ok, `${now}: ${check.problems.slice(0, 3).join('; ')}`);
    // The next deploy clears whatever the killed one left unpacking.
    await deploy(target, v2.archive, v2.sha256, '2.0.0');
    assert.equal(readdirSync(join(target, 'big', 'releases')).filter((n) => n.startsWith('.')), []);
  }
  assert.ok(outcomes.has('old'), 'some kill landed before the switch');
});

test('a corrupt or truncated archive fails the deploy and leaves the live release untouched', async () => {
  const v1 = await bigPlugin('1.0.0', 50);
  const target = mkdtempSync(join(work, 'target-'));
  await deploy(target, v1.archive, v1.sha256, '1.0.0');
  const before = live(target);
  const bytes = readFileSync(v1.archive);
  const truncated = join(work, 'truncated.tar.gz');
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const garbage = join(work, 'garbage.tar.gz');
  writeFileSync(garbage, Buffer.from('this is not an archive at all'.repeat(100)));
  for (const [file, sha] of [[truncated, v1.sha256], [truncated, 'a'.repeat(64)], [garbage, 'b'.repeat(64)]] as const) {
    let error: (Error & { code?: string }) | undefined;
    try { await deploy(target, file, sha, '1.0.1'); } catch (e) { error = e as Error & { code?: string }; }
    assert.ok(error, 'the deploy must fail');
    assert.ok(['E_CHECKSUM', 'E_CORRUPT'].includes(error.code ?? ''), `${error.code}: ${error.message}`);
    assert.is(live(target), before);
    assert.equal(readdirSync(join(target, 'big', 'releases')).length, 1);
  }
});

test('an unreachable HTTP target fails with a clear error after its retries', async () => {
  const v1 = await bigPlugin('1.0.0', 5);
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r)); // nothing listens there now
  const logs: string[] = [];
  let error: Error | undefined;
  try {
    await uploadArchive({
      target: { type: 'http', url: `http://127.0.0.1:${port}/plugins/{plugin}/{version}`, retries: 1 },
      archive: v1.archive, sha256: v1.sha256, plugin: 'big', version: '1.0.0', env: {}, fetch, clock: systemClock,
      signal: new AbortController().signal, log: (m) => logs.push(m),
    });
  } catch (e) { error = e as Error; }
  assert.match(error?.message ?? '', /upload failed: http:\/\/127\.0\.0\.1:\d+\/plugins\/big\/1\.0\.0 could not be reached: .*ECONNREFUSED/);
  assert.is(logs.length, 1);
});

test.run();
