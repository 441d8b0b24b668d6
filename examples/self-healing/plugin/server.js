'use strict';
// A plugin with a deliberately unbounded cache, for the self-healing example:
// - GET /api/work?key=K caches 64 KiB under K (every new key grows the cache) and answers after a
//   lookup that slows down as the cache grows (MS_PER_MB ms per cached MiB);
// - POST /admin/cache/clear drops the cache; POST /admin/gc runs the garbage collector when node
//   was started with --expose-gc; GET /admin/stats shows the cache and how often each hook ran;
// - PRELOAD_ENTRIES entries are cached at start (to show a slow plugin at once);
// - every PUSH_INTERVAL_MS it pushes memory_used_percent (cached bytes against BUDGET_MB) to
//   pluginops' POST /api/metrics at PLUGINOPS_URL with the token in PLUGINOPS_TOKEN.
const http = require('node:http');

const port = Number(process.env.PORT ?? 8080);
const plugin = process.env.PLUGIN_ID ?? 'cache-demo';
const budget = Number(process.env.BUDGET_MB ?? 64) * 1024 * 1024;
const msPerMb = Number(process.env.MS_PER_MB ?? 10);
const pushEvery = Number(process.env.PUSH_INTERVAL_MS ?? 10_000);
const entryBytes = 64 * 1024;

const cache = new Map();
for (let i = 0; i < Number(process.env.PRELOAD_ENTRIES ?? 0); i++) cache.set(`preload-${i}`, Buffer.alloc(entryBytes, 1));
const stats = { clears: 0, gcs: 0, lastClear: null };
const cachedBytes = () => cache.size * entryBytes;
const usedPercent = () => Math.round((cachedBytes() / budget) * 1000) / 10;

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  req.resume();
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
  if (req.method === 'GET' && url.pathname === '/api/work') {
    const key = url.searchParams.get('key');
    if (key !== null && !cache.has(key)) cache.set(key, Buffer.alloc(entryBytes, 1));
    const delay = Math.round((cachedBytes() / 1048576) * msPerMb);
    setTimeout(() => send(res, 200, { ok: true, entries: cache.size, delayMs: delay }), delay);
    return;
  }
  if (req.method === 'POST' && url.pathname === '/admin/cache/clear') {
    const entries = cache.size;
    const bytes = cachedBytes();
    cache.clear();
    stats.clears++;
    stats.lastClear = new Date().toISOString();
    console.log(`cache cleared: ${entries} entries, ${bytes} bytes`);
    return send(res, 200, { cleared: entries, bytes });
  }
  if (req.method === 'POST' && url.pathname === '/admin/gc') {
    stats.gcs++;
    if (typeof global.gc === 'function') global.gc();
    return send(res, 200, { gc: typeof global.gc === 'function', heapUsed: process.memoryUsage().heapUsed });
  }
  if (req.method === 'GET' && url.pathname === '/admin/stats') {
    return send(res, 200, { plugin, entries: cache.size, bytes: cachedBytes(), usedPercent: usedPercent(), ...stats });
  }
  send(res, 404, { error: 'not found' });
});

async function push() {
  const base = process.env.PLUGINOPS_URL;
  if (!base) return;
  try {
    const res = await fetch(`${base.replace(/\/+$/, '')}/api/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.PLUGINOPS_TOKEN ?? ''}` },
      body: JSON.stringify({ samples: [{ plugin, metric: 'memory_used_percent', value: usedPercent() }] }),
    });
    if (!res.ok) console.error(`pushing metrics: ${res.status} ${await res.text()}`);
  } catch (e) {
    console.error(`pushing metrics: ${e.message}`);
  }
}

server.listen(port, '127.0.0.1', () => {
  console.log(`cache-demo listening on http://127.0.0.1:${server.address().port}`);
  setInterval(push, pushEvery).unref();
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
