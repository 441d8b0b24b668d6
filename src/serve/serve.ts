// `pluginops serve`: the long-lived process. One HTTP server (loopback by default) answers
// /healthz, /readyz, /metrics, the API under /api/ and the dashboard at / (src/ui/); with `cron` the monitor's scheduler runs
// the health checks, rule evaluations and incident ticks.
//
// - Reload: SIGHUP, or a change to the project file or any document, loads everything again. An
//   invalid edit is refused with its file:line:col problems logged, and the last good
//   configuration keeps running.
// - Stop (SIGTERM/SIGINT, i.e. the signal passed in): stop accepting connections and scheduling,
//   let in-flight checks, rule evaluations and executions finish within the grace period
//   (`server.grace`, default 10 s), write the monitor's state, close the store, resolve 0.
// - /healthz answers while the process is alive; /readyz only when the configuration is loaded,
//   the store is writable and (with cron) the scheduler is running.
import { registry } from '../wiring/registry.ts';
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { systemClock } from '../engine/clock.ts';
import { parseDuration } from '../engine/duration.ts';
import { spawnProcess } from '../engine/process/spawn.ts';
import { definedEnv } from '../runs/local.ts';
import { projectMask, type Mask } from '../engine/mask.ts';
import { namedSecrets } from '../documents/values/secrets.ts';
import { maskedStore } from '../runs/masked-store.ts';
import { join, resolve } from 'node:path';
import { openJournal } from '../journal/git-journal.ts';
import { journalListener } from '../journal/monitor-hook.ts';
import { gitProcess } from '../journal/process-edge.ts';
import { leanFetch } from '../monitor/checks/lean-fetch.ts';
import { Monitor, type MonitorEdges } from '../monitor/runtime/monitor.ts';
import { databaseConfig } from '../pg/config.ts';
import { openShared } from './shared.ts';
import { MonitorSlot } from './leading.ts';
import { forwardToLeader, ownedByLeader } from './forward.ts';
import { filePersistence } from '../monitor/runtime/state.ts';
import { loadRollups, saveRollupsEvery } from '../monitor/history/rollup-file.ts';
import type { Output } from '../render/renderer.ts';
import { createApi } from '../api/api.ts';
import { Sessions } from '../api/sessions.ts';
import { createStreamSlots } from '../api/stream-slots.ts';
import { pages } from '../ui/pages/index.ts';
import { createPulse, fingerprints } from '../ui/pulse.ts';
import { createUi, sessionTtl, type UiDeps } from '../ui/server.ts';
import { findRunnable } from '../api/workflows/catalog.ts';
import { workerChecker } from './offload.ts';
import { commonHeaders, sendBare, sendError } from '../api/envelope.ts';
import { ApiError, fromThrown } from '../api/errors.ts';
import { openFileStore } from '../store/file-store.ts';
import { loadServeConfig, problemLines, type Loaded } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { leaderMetrics, riskMetrics, selfMetrics } from './metrics.ts';
import { latestRisks } from '../risk/latest.ts';
import { historyLimit } from '../risk/assess.ts';
import { slackInteractions } from './slack.ts';
import { fileReplayCache } from '../runs/approvals/replay-cache.ts';
import { applyPort, planPort } from './plans.ts';
import { Optimizer } from '../optimize/optimizer.ts';
import { safetyBackup } from '../backup/safety.ts';
import { ServeReader } from '../optimize/readers.ts';
import { bookPath } from '../optimize/book.ts';
import { optimizationMetrics } from '../optimize/report.ts';
import { tellVerdict } from './optimization.ts';
import { Remediator } from '../remediation/remediator.ts';
import { RunSupervisor } from '../runs/supervisor.ts';
import { remediationLogPath } from '../remediation/log.ts';
import { watchPaths } from './watch.ts';
import { backupJobs } from './backups.ts';
import { claimStore } from '../store/serve-owner.ts';
import { controlMetrics, openControls } from './controls.ts';
import { TaskBoard } from '../tasks/board.ts';
import { BoardQueue } from '../tasks/board-queue.ts';
import type { TaskQueue } from '../tasks/queue.ts';
import { PgTaskQueue } from '../pg/tasks.ts';
import { pgRemediationLog } from '../pg/remediation-log.ts';
import { FileJournal, journalPath } from '../tasks/journal.ts';
import { taskProtection } from './task-protection.ts';
import { ServeTaskHub } from './workers.ts';
import { taskMetrics } from './metrics.ts';

export interface ServeOptions {
  cron: boolean;
  host: string;
  port: number;
  cwd: string;
  configPath?: string;
  storeDir?: string;
  env: Record<string, string | undefined>;
  version: string;
}

export interface ServeEdges {
  out: Output;
  json: boolean;
  /** Aborted to stop. */
  signal: AbortSignal;
  /** Registers a reload trigger (SIGHUP); returns its removal. */
  onReload: (fn: () => void) => () => void;
  /** Told the address once listening (tests use port 0). */
  onListening?: (url: string) => void;
}

export const defaultGraceMs = 10_000;
/** Escalation steps, auto-resolve and acknowledgement timeouts are looked at this often, so a step is late by at most a second. */
export const incidentTickMs = 1_000;
/** How often waits for approval are looked at for their deadline. */
export const approvalSweepMs = 5_000;
/** Where Slack sends button presses (the app's Interactivity Request URL). */
export const slackPath = '/slack/interactions';

export async function serve(o: ServeOptions, e: ServeEdges): Promise<number> {
  const startedAt = Date.now();
  let current: Loaded = await loadServeConfig(o.cwd, o.configPath, o.env, startedAt);
  // Reloads read the project file found at the start: one that is gone is an error, not the defaults.
  const projectFile = o.configPath ?? (current.project.file ? relative(o.cwd, current.project.file) : undefined);
  let mask: Mask = projectMask(current.project.config, o.env);
  const log: Logger = createLogger(e.out, { json: e.json, now: Date.now, mask: () => mask });
  const storeDir = o.storeDir ?? current.project.storeDir;
  // With `store.postgres`, executions, incidents, notifications and tasks live in PostgreSQL,
  // shared with other replicas; one of them leads (shared.ts). Otherwise the embedded store.
  const dbConfig = databaseConfig(current.project.config, o.env);
  const shared = dbConfig ? await openShared(dbConfig, { log, signal: e.signal, ...(dbConfig.leaseMs ? { leaseMs: dbConfig.leaseMs } : {}) }) : undefined;
  if (shared) log(`store: PostgreSQL (${shared.db.where}), replica ${shared.replica}`, 'info');
  const store = maskedStore(shared ? shared.store : await openFileStore(storeDir), () => mask);
  // On PostgreSQL the directory still holds what each replica keeps for itself (rollups, run-time controls).
  if (shared) await mkdir(storeDir, { recursive: true });
  const releaseStore = shared ? async () => undefined : await claimStore(storeDir);
  const backups = await backupJobs(current.project, { storeDir, clock: systemClock, log: (line, level, fields) => log(line, level, fields) });
  const recovered = await store.recover();
  if (recovered.length) log('executions left running by an earlier process are marked interrupted', 'warn', { ids: recovered });
  for (const w of current.warnings) log(w, 'warn');
  const journalDoc = current.project.config.journal?.git;
  const journal = journalDoc
    ? await openJournal({ repo: resolve(current.project.root, journalDoc.repo), ...(journalDoc.branch ? { branch: journalDoc.branch } : {}) }, gitProcess(o.env))
    : undefined;
  const journalHook = journal ? journalListener(journal, (line, level) => log(line, level)) : undefined;
  // Run-time controls (pauses, self-healing off, maintenance now) survive restarts and reloads.
  const controls = await openControls(storeDir, () => ({ checks: current.monitor.checks, rules: current.monitor.rules }), log, () => journal, () => mask);
  // The remediator needs the monitor and the monitor tells the remediator: bound once both exist.
  let remediator: Remediator | undefined;
  // Optimization reads check results as they come, pushed metrics and Prometheus at each analysis, processes on its own timers.
  let monitorRef: Monitor | undefined;
  const reader = new ServeReader({
    root: current.project.root, now: Date.now, fetch: globalThis.fetch, servers: () => current.monitor.servers,
    pushed: (metric, plugin) => monitorRef?.metricSeries(metric, plugin) ?? [],
    incidents: (plugin, since) => (monitorRef?.incidents() ?? []).filter((i) => i.labels.plugin === plugin && i.openedAt >= since)
      .map((i) => ({ id: i.id, title: i.title, openedAt: i.openedAt })),
  });
  // Every check result counts into its check's hourly and daily buckets (uptime, charts), kept on disk.
  const history = await loadRollups(storeDir, (line) => log(line, 'warn'));
  const monitorEdges: MonitorEdges = {
    onResult: (id, r) => { history.record(id, r.at, r.ok, r.durationMs); reader.observe(id, r); },
    onTimeline: (incident, entry) => { journalHook?.(incident, entry); remediator?.onTimeline(incident, entry); },
    clock: systemClock, fetch: globalThis.fetch, httpFetch: leanFetch, spawn: spawnProcess, env: definedEnv(o.env), persistence: filePersistence(storeDir),
    log: (line, level) => log(line, level), tickMs: incidentTickMs, mask: () => mask, controls,
    ...(shared ? { persistence: shared.persistence, ledger: shared.ledger } : {}),
  };
  const slot = await MonitorSlot.open({
    open: () => Monitor.open(current.monitor, monitorEdges), log: (line, level) => log(line, level),
    ...(shared ? { updatedAt: () => shared.persistence.updatedAt() } : {}),
  });
  // Leads: the only process on one machine, or the replica holding the lease.
  const leading = () => !shared || shared.lease.leading;
  monitorRef = slot.monitor;
  let configError: string | undefined;
  let reloads = 0, reloadFailures = 0;
  // Document bodies (PUT /api/workflows) are parsed in a worker thread, off the event loop.
  const documents = workerChecker();
  // Tasks and workers: the board on the embedded journal; `runsOn` steps of every run go there.
  const workersDoc = current.project.config.workers;
  // Tasks are written masked; a secret in a task's data is kept as the name of its variable and
  // filled in from this process's environment when the journal is read again.
  const secretsNow = () => namedSecrets(current.project.config, o.env);
  const protection = taskProtection({ secrets: secretsNow, mask: () => mask, env: o.env, warn: (line) => log(line, 'warn') });
  // At least a second each: a zero lease would put every worker offline at once.
  const queueTimes = {
    ...(workersDoc?.lease ? { leaseMs: Math.max(1_000, parseDuration(workersDoc.lease)) } : {}), ...(workersDoc?.aging ? { agingMs: Math.max(1_000, parseDuration(workersDoc.aging)) } : {}),
  };
  // On PostgreSQL every replica shares one queue; on one machine the board with its journal.
  const tasksOpened = shared ? undefined : await FileJournal.open(journalPath(storeDir), { warn: (line) => log(line, 'warn'), protection });
  const taskQueue: TaskQueue = shared
    ? await PgTaskQueue.open(shared.db, { clock: systemClock, ...queueTimes, protection, onError: (err) => log(`tasks: ${(err as Error).message}`, 'warn') })
    : new BoardQueue(new TaskBoard({ clock: systemClock, ...queueTimes }, tasksOpened!.journal, tasksOpened!.restored));
  const hub = new ServeTaskHub({ queue: taskQueue, store, registry, find: (plan) => findRunnable(current.project, plan, registry), log: (line, level, fields) => log(line, level, fields) });
  const boardTick = setInterval(() => { taskQueue.tick().catch((e: unknown) => log(`tasks: ${(e as Error).message}`, 'warn')); }, incidentTickMs);
  boardTick.unref();
  // One supervisor for every run this process starts: the API's, self-healing's, Slack's decisions.
  const runs = new RunSupervisor({
    store, project: () => current.project, registry, cwd: o.cwd, env: o.env, clock: systemClock, workers: hub.edge(),
    find: (plan) => findRunnable(current.project, plan, registry), log: (line, level, fields) => log(line, level, fields),
  });
  // Dashboard sign-ins: in memory, for `server.dashboard.session` (default 12 h).
  const sessions = new Sessions(Date.now, () => sessionTtl(current.project.config.server));
  const optimizer = await Optimizer.open(current.optimization, {
    now: Date.now, port: applyPort(runs, store, () => current.plans), reader, bookPath: bookPath(storeDir),
    log: (line, level, fields) => log(line, level, fields),
    snapshot: async (s) => (await safetyBackup(current.project, `before applying optimization suggestion ${s.id} (${s.type} on ${s.plugin})`)).id,
    onEnded: (s, item) => tellVerdict(s, item, { project: () => current.project, monitor: () => current.monitor, env: o.env, mask: () => mask, log: (line, level) => log(line, level), journal: () => journal }),
  });
  reader.sync(current.optimization);
  const apiDeps: UiDeps['api'] = {
    version: o.version, now: Date.now, monitor: () => slot.monitor, history, remediation: () => remediator!, optimizer: () => optimizer, tasks: () => hub, store, runs, project: () => current.project, env: o.env, cwd: o.cwd,
    status: () => ({
      scheduler: o.cron && !stopping ? (leading() ? 'running' : 'standby') : 'off', ...(shared ? { cluster: { replica: shared.replica, role: leading() ? 'leader' : 'follower' } } : {}), configLoadedAt: current.loadedAt, ...(configError ? { configError } : {}), startedAt, ...backups.summary() }),
    log: (line, level, fields) => log(line, level, fields), documents, registry, controls: () => controls, sessions, streams: createStreamSlots(),
  };
  const api = createApi(apiDeps);
  const ui = createUi({ api: apiDeps, pages, pulse: createPulse(fingerprints(apiDeps), 1000, (topic, err) => log(`live ${topic}: ${(err as Error).message}`, 'warn')) });

  remediator = await Remediator.open(current.remediation, {
    now: Date.now, port: planPort(runs, store, () => current.plans), monitor: slot.healing(), ...(shared ? { remediationLog: pgRemediationLog(shared.db) } : { logPath: remediationLogPath(storeDir) }),
    ...(journal ? { journal } : {}), log: (line, level) => log(line, level), controls,
  });
  const healing = setInterval(() => { if (!leading()) return; void remediator?.tick(); if (o.cron && !stopping) void optimizer.tick(); }, incidentTickMs);
  healing.unref();
  const slack = slackInteractions({
    config: () => current.project.config, env: o.env, runs, store, now: Date.now, fetch: globalThis.fetch,
    log: (line, level, fields) => log(line, level, fields), replay: fileReplayCache(join(storeDir, 'slack-replay.log')),
  });
  // Approvals past their deadline are decided by their `onTimeout`, here or by whoever answers first.
  const expiring = setInterval(() => {
    runs.expireDue().catch((err: unknown) => log(`approval timeouts: ${(err as Error).message}`, 'error'));
  }, approvalSweepMs);
  expiring.unref();

  let stopping = false;
  const server = createServer((req, res) => { void route(req, res); });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path === '/healthz') return sendBare(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const storeWritable = shared ? await shared.reachable() : await access(storeDir, constants.W_OK).then(() => true, () => false);
        const scheduler = !o.cron ? 'off' : stopping ? 'stopping' : leading() ? 'running' : 'standby';
        const components = {
          config: configError ? 'stale' : 'loaded', scheduler,
          ...(shared ? { database: storeWritable ? 'reachable' : 'unreachable', role: leading() ? 'leader' : 'follower' } : { store: storeWritable ? 'writable' : 'not writable' }),
        };
        // A replica on standby is ready: it serves the API while another one runs the scheduler.
        const ready = !stopping && storeWritable && (!o.cron || scheduler === 'running' || scheduler === 'standby');
        return sendBare(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', components, ...(configError ? { configError } : {}) });
      }
      if (path === '/metrics') {
        const text = selfMetrics(slot.monitor, await store.stats(), { version: o.version, startedAt, now: Date.now(), scheduler: o.cron && !stopping, running: runs.running(), reloads, reloadFailures },
          { records: remediator?.records() ?? [], openBreakers: remediator?.breakers().length ?? 0 }) + backups.metrics() + optimizationMetrics(optimizer.counts()) + taskMetrics(await taskQueue.stats())
          + riskMetrics(latestRisks(await store.list({ kind: 'Workflow', limit: historyLimit })));
        const cluster = shared ? leaderMetrics({ leading: leading(), epoch: shared.lease.state.epoch, reachable: await shared.reachable() }) : '';
        return sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', text + controlMetrics(controls, current.monitor, Date.now()) + cluster);
      }
      if (shared && !leading() && ownedByLeader(req.method ?? 'GET', path)) {
        try { return await forwardToLeader(req, res, { replica: shared.replica, leader: () => shared.leader() }); } catch (err) { const known = fromThrown(err); if (!known) throw err; return sendError(res, known); }
      }
      if (path === '/api' || path.startsWith('/api/')) return await api.handle(req, res);
      if (path === slackPath) {
        try { return await slack.handle(req, res); } catch (err) { const known = fromThrown(err); if (!known) throw err; return sendError(res, known); }
      }
      return await ui.handle(req, res);
    } catch (err) {
      log(`request ${req.method} ${path} failed: ${(err as Error).message}`, 'error');
      if (!res.headersSent) sendError(res, new ApiError('internal', 'internal error'));
      else res.destroy();
    }
  }

  async function reload(why: string): Promise<void> {
    if (stopping) return;
    try {
      const next = await loadServeConfig(o.cwd, projectFile, o.env, Date.now());
      if (stopping) return;
      current = next;
      mask = projectMask(next.project.config, o.env);
      slot.monitor.reload(next.monitor);
      remediator?.reload(next.remediation);
      optimizer.reload(next.optimization);
      reader.sync(next.optimization);
      backups.reload(next.project);
      configError = undefined;
      reloads++;
      log(`configuration reloaded (${why})`, 'info', { checks: next.monitor.checks.size, rules: next.monitor.rules.size });
      for (const w of next.warnings) log(w, 'warn');
    } catch (err) {
      reloadFailures++;
      const lines = problemLines(err);
      configError = lines[0];
      for (const line of lines) log(`reload refused: ${line}`, 'error');
      log('the last good configuration keeps running', 'warn');
    }
    // Also after a refusal: a directory made by the edit is watched, so its fix is seen.
    if (!stopping) rewatch();
  }
  // One reload at a time, in the order asked: a slow load never overwrites a newer one.
  let reloading = Promise.resolve();
  const requestReload = (why: string) => {
    reloading = reloading.then(() => reload(why)).catch((err: unknown) => log(`reload failed: ${(err as Error).message}`, 'error'));
  };

  const watcher = watchPaths(() => requestReload('files changed'));
  const rewatch = () => watcher.watch([...(current.project.file ? [current.project.file] : []), ...current.project.documentPaths]);
  rewatch();
  const offHup = e.onReload(() => requestReload('SIGHUP'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log(`listening on ${url} (dashboard at ${url}/, API under ${url}/api/)`, 'info', { cron: o.cron, checks: current.monitor.checks.size, rules: current.monitor.rules.size });
  e.onListening?.(url);
  const historySaver = saveRollupsEvery({ rollups: history, storeDir, clock: systemClock, ids: () => current.monitor.checks.keys(), log: (line, level) => log(line, level) });
  if (shared) {
    await shared.presence.setUrl(url);
    // The monitor, backups and the other clocks run on the replica that holds the lease.
    shared.lease.onChange((s) => {
      if (stopping) return;
      log(s.leading ? `this replica leads (epoch ${s.epoch}): the scheduler and escalations run here` : 'this replica no longer leads: the scheduler stops here', s.leading ? 'info' : 'warn');
      if (s.leading) { void slot.lead(o.cron).then(() => { monitorRef = slot.monitor; }); if (o.cron) backups.start(); }
      else { void slot.follow(defaultGraceMs).then(() => { monitorRef = slot.monitor; }); void backups.stop(0); }
    });
    await slot.follow(0);
    await shared.lease.start();
  } else {
    await slot.lead(o.cron);
    if (o.cron) backups.start();
  }

  await new Promise<void>((resolve) => {
    if (e.signal.aborted) resolve();
    else e.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  stopping = true;
  const graceMs = current.project.config.server?.grace ? parseDuration(current.project.config.server.grace) : defaultGraceMs;
  log('stopping: no new work; waiting for what runs', 'info', { graceMs });
  offHup();
  watcher.close();
  clearInterval(expiring);
  clearInterval(healing);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  reader.stop();
  await Promise.all([slot.stop(graceMs), runs.stop(graceMs), slack.idle(), remediator.idle(), backups.stop(graceMs)]);
  await optimizer.close();
  clearInterval(boardTick);
  await tasksOpened?.journal.close();
  await taskQueue.close();
  await historySaver.stop();
  await store.close();
  await shared?.close();
  await releaseStore();
  await documents.close();
  server.closeAllConnections();
  await closed;
  log('stopped', 'info');
  return 0;
}

function sendText(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...commonHeaders, 'content-type': type });
  res.end(body);
}
