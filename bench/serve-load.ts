// `pluginops serve --cron` under load: 2,000 HTTP health checks at a 10 s interval against a
// loopback server, for two minutes (20 s with --quick). The process is the built CLI, started as
// a child; the bench reads its /metrics every 10 s (scheduler lag of each check's last run, missed
// slots, checks run, resident memory) and times API calls (GET /api/status and GET /api/checks/:id)
// at about five per second throughout.
import { rmSync } from 'node:fs';
import { checksProject, metricValue, parseMetrics, quantile, startServe, startTarget } from './serve-world.ts';
import type { Benchmark, Row } from './types.ts';

const CHECKS = 2_000;
const INTERVAL_S = 10;
const TOKEN = 'bench-read-token-0123456789abcdef';

export const serveLoad: Benchmark = {
  id: 'serve-load',
  title: 'serve --cron: 2,000 HTTP checks every 10 s',
  description: `\`pluginops serve --cron\` (the built CLI, one process) with ${CHECKS.toLocaleString('en')} HTTP health checks at a ${INTERVAL_S} s interval (10 s start-up stagger) against a loopback HTTP server in the bench process, for 2 minutes. Every 10 s the bench reads \`/metrics\`: each check's last scheduler lag (so each run's lag is seen about once), missed slots, checks run and resident memory. API latency is GET /api/status and GET /api/checks/:id, about five requests per second for the whole run.`,
  async run({ log, quick, root }) {
    const durationMs = quick ? 20_000 : 120_000;
    const target = await startTarget();
    const dir = checksProject({ prefix: 'pluginops-bench-serve-', checks: CHECKS, intervalS: INTERVAL_S, target: target.url });
    const serve = await startServe({ root, dir, token: TOKEN }).catch(async (e: unknown) => { await target.close(); rmSync(dir, { recursive: true, force: true }); throw e; });
    const { url } = serve;
    try {
      const metrics = async () => parseMetrics(await (await fetch(`${url}/metrics`)).text());
      const value = metricValue;
      const first = await metrics();
      const rssStart = value(first, 'process_resident_memory_bytes');
      const runsStart = value(first, 'pluginops_checks_run_total');
      const started = Date.now();
      const lags: number[] = [];
      const apiMs: number[] = [];
      const apiAt: number[] = [];
      const rss: number[] = [rssStart];
      let stop = false;
      const api = (async () => {
        let i = 0;
        while (!stop) {
          const path = i++ % 2 === 0 ? '/api/status' : `/api/checks/c${i % CHECKS}`;
          const t0 = performance.now();
          const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
          await r.arrayBuffer();
          if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
          apiMs.push(performance.now() - t0);
          apiAt.push(Date.now() - started);
          await new Promise((res) => setTimeout(res, 200));
        }
      })();
      while (Date.now() - started < durationMs) {
        await new Promise((r) => setTimeout(r, 10_000));
        const ms = await metrics();
        for (const m of ms) if (m.name === 'pluginops_scheduler_lag_seconds' && m.labels.job?.startsWith('check:')) lags.push(m.value * 1000);
        rss.push(value(ms, 'process_resident_memory_bytes'));
        log(`  ${Math.round((Date.now() - started) / 1000)} s: ${value(ms, 'pluginops_checks_run_total')} checks run, missed ${value(ms, 'pluginops_scheduler_missed_total')}, rss ${(rss.at(-1)! / 2 ** 20).toFixed(0)} MiB`);
      }
      stop = true;
      await api;
      const last = await metrics();
      const elapsed = (Date.now() - started) / 1000;
      const runs = value(last, 'pluginops_checks_run_total') - runsStart;
      const missed = value(last, 'pluginops_scheduler_missed_total');
      const failed = value(last, 'pluginops_checks_failed_total');
      const rssEnd = value(last, 'process_resident_memory_bytes');
      const p50 = quantile(lags, 0.5), p99 = quantile(lags, 0.99), api99 = quantile(apiMs, 0.99);
      const mib = (b: number) => b / 2 ** 20;
      log(`  target answered ${target.hits()} requests; ${failed} check runs failed`);
      const slow = apiMs.map((ms, i) => ({ ms, at: apiAt[i]! })).sort((a, b) => b.ms - a.ms).slice(0, 3);
      log(`  slowest API calls: ${slow.map((x) => `${x.ms.toFixed(0)} ms at ${(x.at / 1000).toFixed(1)} s`).join(', ')}`);
      const rows: Row[] = [
        { name: `checks per second (${CHECKS} checks / ${INTERVAL_S} s = ${CHECKS / INTERVAL_S} expected)`, value: runs / elapsed, unit: 'checks/s' },
        { name: 'scheduler lag p50', value: p50, unit: 'ms', note: `${lags.length} runs seen` },
        { name: 'scheduler lag p99', value: p99, unit: 'ms', goal: '< 100 ms', met: p99 < 100 },
        { name: 'missed runs', value: missed, unit: 'runs', goal: '0', met: missed === 0 },
        { name: 'failed check runs', value: failed, unit: 'runs' },
        { name: 'RSS at start', value: mib(rssStart), unit: 'MiB' },
        { name: 'RSS at end', value: mib(rssEnd), unit: 'MiB', goal: '< 150 MB and flat', met: rssEnd < 150e6 && rssEnd < rssStart * 1.5 },
        { name: 'RSS peak during the run', value: mib(Math.max(...rss)), unit: 'MiB', samples: rss.map(mib) },
        { name: 'API latency p99 (GET /api/status, /api/checks/:id)', value: api99, unit: 'ms', note: `${apiMs.length} requests, p50 ${quantile(apiMs, 0.5).toFixed(1)} ms` },
      ];
      return rows;
    } finally {
      await serve.stop();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
