// The shipped `plugin_cache_clear` runbook through the CLI against a loopback plugin: the hooks are
// POSTed in order, an answer other than 2xx fails the run, and URLs that are not http(s) are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../cli/helpers.ts';
import { events, finished } from '../delivery/helpers.ts';
import { tempDir } from './helpers.ts';

async function hooks(status: (path: string) => number) {
  const seen: string[] = [];
  const server = createServer((req, res) => { req.resume(); seen.push(`${req.method} ${req.url}`); res.writeHead(status(req.url ?? '')).end('{"cleared":3}'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise((r) => server.close(r)) };
}

function project(): string {
  const dir = tempDir('cache-clear');
  writeFileSync(join(dir, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\n');
  return dir;
}

const run = async (dir: string, params: string[]) => {
  const r = await cli(['run', 'plugin_cache_clear', '--json', ...params.flatMap((p) => ['-p', p])], dir);
  return { ...r, steps: finished(events(r.stdout)) };
};

test('the cache-clear hook, then the GC hook, each POSTed once', async () => {
  const h = await hooks(() => 200);
  try {
    const r = await run(project(), ['plugin=cache-demo', `url=${h.url}/admin/cache/clear`, `gcUrl=${h.url}/admin/gc`]);
    assert.is(r.code, 0, r.stdout.slice(-2000));
    assert.equal(r.steps, { clear: 'success', gc: 'success' });
    assert.equal(h.seen, ['POST /admin/cache/clear', 'POST /admin/gc']);
  } finally { await h.close(); }
});

test('without gcUrl only the cache is cleared; a hook that answers 500 fails the run', async () => {
  const h = await hooks((path) => (path.includes('broken') ? 500 : 200));
  try {
    let r = await run(project(), ['plugin=cache-demo', `url=${h.url}/admin/cache/clear`]);
    assert.is(r.code, 0, r.stdout.slice(-2000));
    assert.equal(r.steps, { clear: 'success', gc: 'skipped' });
    r = await run(project(), ['plugin=cache-demo', `url=${h.url}/broken`]);
    assert.is(r.code, 1);
    assert.is(r.steps.clear, 'failed');
    assert.match(r.stdout, /status 500, expected 2xx/);
    assert.is(h.seen.filter((s) => s === 'POST /broken').length, 3, 'tried three times');
  } finally { await h.close(); }
});

test('a URL that is not http(s), and a plugin that is not an id, are refused before any request', async () => {
  for (const bad of [['plugin=cache-demo', 'url=file:///etc/passwd'], ['plugin=cache-demo', 'url=http://127.0.0.1:1/x', 'gcUrl=javascript:alert(1)'], ['plugin=../etc', 'url=http://127.0.0.1:1/x']]) {
    const r = await run(project(), bad);
    assert.ok(r.code !== 0, bad.join(' '));
    assert.match(r.stdout + r.stderr, /E_PARAMETER/, bad.join(' '));
    assert.equal(r.steps, {}, 'no step ran');
  }
});

test.run();
