// The dashboard under the load `serve --cron` is built for: 2,000 HTTP checks against a loopback
// target and 10,000 stored executions. A real `serve` child process; the bench signs in through
// POST /sign-in and, over node:http (bytes as sent), times pages against GET /api/status on the
// same run, counts the bytes of the overview's first load, times a check's 30-day chart page, and
// compares the process's memory with five dashboard tabs open (live stream + fragment fetches)
// against none.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { closeClient, get, openTab, referencedAssets, signIn, type Tab } from './dashboard-client.ts';
import { writeExecutions } from './executions.ts';
import { median } from './stats.ts';
import { checksProject, metricValue, parseMetrics, quantile, startServe, startTarget } from './serve-world.ts';
import type { Benchmark, Row } from './types.ts';

const CHECKS = 2_000;
const EXECUTIONS = 10_000;
const TABS = 5;
const TOKEN = 'bench-dashboard-token-0123456789abcdef';
const TOPICS = 'checks,incidents,executions,approvals';
const kib = (b: number) => b / 1024;
const mib = (b: number) => b / 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const dashboard: Benchmark = {
  id: 'dashboard',
  title: 'dashboard: pages with 2,000 checks and 10,000 executions',
  description: `\`pluginops serve --cron\` (bin/pluginops.js: the built CLI, else the sources) with ${CHECKS.toLocaleString('en')} HTTP checks every 10 s against a loopback server and ${EXECUTIONS.toLocaleString('en')} executions over 90 days written into its store, signed in with a read token through POST /sign-in. `
    + 'Server time is request sent to last byte received on loopback, over a kept-alive connection, after a few warm-up requests; page and baseline (GET /api/status) requests alternate. '
    + 'The first load counts the bytes on the wire of the page\'s HTML and every asset it references, each asked with `Accept-Encoding: gzip`. '
    + `Memory is the process's RSS from /metrics every 2 s: ${TABS} tabs each hold an event stream on /events?topics=${TOPICS} and fetch the page's main content (\`X-Fragment: main\`) after a change, at most once a second, as the live script does, and every 5 s besides; alternating phases of 30 s with no tab and with the tabs (off, on, off, on, off), each side the median of its phases' samples. `
    + 'The overview is `/`; a check\'s 30-day page is `/checks/c0?range=30d`.',
  async run({ log, quick, root }) {
    const n = quick ? 40 : 300;
    const phaseMs = quick ? 8_000 : 30_000;
    const target = await startTarget();
    const dir = checksProject({ prefix: 'pluginops-bench-dashboard-', checks: CHECKS, intervalS: 10, target: target.url });
    let t = performance.now();
    writeExecutions(join(dir, '.pluginops'), { count: EXECUTIONS, days: 90, now: Date.now() });
    log(`  ${EXECUTIONS} execution files written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const serve = await startServe({ root, dir, token: TOKEN }).catch(async (e: unknown) => { await target.close(); rmSync(dir, { recursive: true, force: true }); throw e; });
    const { url } = serve;
    const tabs: Tab[] = [];
    try {
      const cookie = await signIn(url, TOKEN);
      const headers = { cookie, 'accept-encoding': 'gzip' };
      const rows: Row[] = [];

      const page = '/';
      t = performance.now();
      const first = await get(`${url}${page}`, headers);
      if (first.status !== 200) throw new Error(`GET ${page} answered ${first.status}`);
      log(`  GET ${page}: first answer in ${(performance.now() - t).toFixed(0)} ms`);

      // (a) the page's server time against GET /api/status on the same run.
      const timed = async (path: string, count: number, other?: string) => {
        const a: number[] = [], b: number[] = [];
        for (let i = 0; i < 3; i++) { await get(`${url}${path}`, headers); if (other) await get(`${url}${other}`, headers); }
        for (let i = 0; i < count; i++) {
          const r = await get(`${url}${path}`, headers);
          if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
          a.push(r.ms);
          if (other) b.push((await get(`${url}${other}`, headers)).ms);
        }
        return { a, b };
      };
      const overview = await timed(page, n, '/api/status');
      const p95 = quantile(overview.a, 0.95), base95 = quantile(overview.b, 0.95);
      rows.push(
        { name: `GET ${page} p50`, value: quantile(overview.a, 0.5), unit: 'ms', samples: overview.a },
        { name: `GET ${page} p95`, value: p95, unit: 'ms', baseline: 'GET /api/status p95', ratio: p95 / base95, goal: '< 100 ms', met: p95 < 100, note: `${n} requests` },
        { name: 'GET /api/status p50', value: quantile(overview.b, 0.5), unit: 'ms', samples: overview.b },
        { name: 'GET /api/status p95', value: base95, unit: 'ms' },
      );

      // (b) the first load: the HTML and what it references, compressed.
      const html = await get(`${url}${page}`, headers);
      const assets = referencedAssets(html.body.toString('utf8'));
      let bytes = html.bytes;
      for (const a of assets) {
        const r = await get(`${url}${a}`, { 'accept-encoding': 'gzip' });
        if (r.status !== 200) throw new Error(`${a} answered ${r.status}`);
        bytes += r.bytes;
      }
      rows.push({ name: `first load of ${page}, transferred (gzip)`, value: kib(bytes), unit: 'KiB', goal: '< 200 KB', met: bytes < 200_000,
        note: `HTML ${kib(html.bytes).toFixed(1)} KiB + ${assets.length} assets (${assets.map((a) => a.split('?')[0]!.split('/').pop()).join(', ')})` });

      // (c) a check's 30-day chart page.
      const checkPage = '/checks/c0?range=30d';
      const c = (await timed(checkPage, n)).a;
      rows.push({ name: `GET ${checkPage} p95`, value: quantile(c, 0.95), unit: 'ms', goal: '< 50 ms', met: quantile(c, 0.95) < 50, note: `p50 ${quantile(c, 0.5).toFixed(1)} ms` });
      const stats = (await timed('/statistics?range=90d', n)).a;
      rows.push({ name: `GET /statistics?range=90d p95 (${EXECUTIONS.toLocaleString('en')} executions)`, value: quantile(stats, 0.95), unit: 'ms', note: `p50 ${quantile(stats, 0.5).toFixed(1)} ms; figures kept 5 s, then files re-checked by size and mtime` });

      // (d) memory with no tab and with TABS tabs open, alternating (off, on, off, on, off) so that the
      // process's own growth over time (check histories filling up) falls on both sides alike.
      const sample = async () => parseMetrics((await get(`${url}/metrics`)).body.toString('utf8'));
      const phase = async (on: boolean) => {
        if (on) for (let i = 0; i < TABS; i++) tabs.push(openTab(url, cookie, page, TOPICS, 5_000));
        const rss: number[] = [], heap: number[] = [];
        const until = Date.now() + phaseMs;
        while (Date.now() < until) {
          await sleep(2_000);
          const m = await sample();
          rss.push(metricValue(m, 'process_resident_memory_bytes'));
          heap.push(metricValue(m, 'process_heap_used_bytes'));
        }
        const fetched = tabs.reduce((sum, tab) => sum + tab.fetches(), 0);
        for (const tab of tabs.splice(0)) tab.close();
        log(`  ${on ? `${TABS} tabs` : 'no tab '}: RSS median ${mib(median(rss)).toFixed(0)} MiB, V8 heap in use ${mib(median(heap)).toFixed(0)} MiB${on ? `, ${fetched} fragment fetches` : ''}`);
        return { rss, heap, fetched };
      };
      const phases = [];
      for (const on of [false, true, false, true, false]) phases.push({ on, ...await phase(on) });
      const off = phases.filter((x) => !x.on), onP = phases.filter((x) => x.on);
      const without = off.flatMap((x) => x.rss), withTabs = onP.flatMap((x) => x.rss);
      const fetches = onP.reduce((sum, x) => sum + x.fetched, 0);
      const ratio = median(withTabs) / median(without);
      const heapRatio = median(onP.flatMap((x) => x.heap)) / median(off.flatMap((x) => x.heap));
      rows.push(
        { name: 'RSS, no dashboard tab', value: mib(median(without)), unit: 'MiB', samples: without.map(mib) },
        { name: `RSS, ${TABS} tabs open (live stream + fragments)`, value: mib(median(withTabs)), unit: 'MiB', samples: withTabs.map(mib),
          baseline: 'RSS, no dashboard tab', ratio, goal: '≤ 1.10×', met: ratio <= 1.1, note: `${fetches} fragment fetches in ${(2 * phaseMs) / 1000} s; V8 heap in use ${heapRatio.toFixed(2)}× of no tab` },
      );
      log(`  target answered ${target.hits()} check requests`);
      return rows;
    } finally {
      for (const tab of tabs) tab.close();
      closeClient();
      await serve.stop();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
