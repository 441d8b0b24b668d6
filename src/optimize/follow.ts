// After an apply: following the runbook's run, judging its effect, and following a revert.
//
// - applying: the run succeeded → `verifying`, the verdict due after the warm-up and the window;
//   it failed, was cancelled, rejected or vanished → `failed` with the reason; still going (or still
//   waiting for approval) past the timeout (`guardrails.timeout`) → cancelled and `failed` (the
//   cooldown still holds).
// - verifying, when due: the expected metric is read again, the window before the run started is
//   compared with the window after the warm-up (analysis/verdict.ts: rank-sum test and a minimum
//   effect). Better → `succeeded`; worse → the revert run starts (`reverting`), or `failed` when
//   there is no way back or revert is off; no change or too little data → `inconclusive`. A saving
//   (`expected.hold`) succeeds unless the metric moved its way beyond what was expected.
// - reverting: the revert run succeeded → `reverted`; it failed → `failed`, said loudly.
import type { LogLevel } from '../store/types.ts';
import { formatNumber } from './analysis/format.ts';
import { formatChange, formatP } from './report.ts';
import { verdict } from './analysis/verdict.ts';
import type { Collector } from './collect.ts';
import type { OptimizationItem } from './config.ts';
import type { ApplyPort } from './ports.ts';
import { moved, type RunRef, type Suggestion, type Verification } from './suggestion.ts';

export interface FollowEdges {
  now: () => number;
  port: ApplyPort;
  collector: Collector;
  log: (line: string, level: LogLevel) => void;
  item: (id: string) => OptimizationItem | undefined;
  put: (s: Suggestion) => Promise<void>;
  ended: (s: Suggestion) => void;
}

const unfinished = new Set(['pending', 'running', 'waiting']);

/** Where a run stands: undefined while it goes on, else how it ended. */
async function runEnd(run: RunRef, timeoutMs: number, e: FollowEdges): Promise<{ ok: boolean; run: RunRef; why?: string } | undefined> {
  const state = await e.port.state(run.id);
  const now = e.now();
  if (!state) return { ok: false, run: { ...run, finishedAt: now, status: 'gone' }, why: `run ${run.id} no longer exists` };
  if (unfinished.has(state.status)) {
    // The timeout covers a wait for approval too: an apply nobody approves does not hold the plugin.
    if (now - run.startedAt > timeoutMs) {
      await e.port.cancel(run.id);
      const what = state.status === 'waiting' ? 'still waiting for approval' : `still ${state.status}`;
      return { ok: false, run: { ...run, finishedAt: now, status: 'timed_out' }, why: `run ${run.id} was ${what} after ${Math.round(timeoutMs / 1000)} s (guardrails.timeout) and was cancelled` };
    }
    return undefined;
  }
  const finished: RunRef = { ...run, finishedAt: now, status: state.status, ...(state.error ? { error: state.error } : {}) };
  if (state.status === 'success') return { ok: true, run: finished };
  const why = state.rejectedBy ? `run ${run.id} was rejected by ${state.rejectedBy}` : `run ${run.id} ${state.status}${state.error ? `: ${state.error}` : ''}`;
  return { ok: false, run: finished, why };
}

export async function followApplying(s: Suggestion, e: FollowEdges): Promise<void> {
  if (!s.run) return;
  const item = e.item(s.optimization);
  const end = await runEnd(s.run, item?.guardrails.timeoutMs ?? 30 * 60_000, e);
  if (!end) return;
  const now = e.now();
  if (!end.ok) {
    const failed = moved(s, 'failed', now, { run: end.run, reason: end.why ?? 'the run failed' });
    await e.put(failed);
    e.log(`optimization: suggestion ${s.id} failed: ${failed.reason}`, 'warn');
    e.ended(failed);
    return;
  }
  const v = item?.verify;
  const verifyAt = now + (v ? v.warmUpMs + v.windowMs : 0);
  await e.put(moved(s, 'verifying', now, { run: end.run, verifyAt, note: `verdict due ${new Date(verifyAt).toISOString()}` }));
}

export async function judge(s: Suggestion, e: FollowEdges): Promise<void> {
  const item = e.item(s.optimization);
  const now = e.now();
  if (!item || !s.run?.finishedAt) {
    const out = moved(s, 'inconclusive', now, { reason: `Optimization ${s.optimization} is no longer configured; the effect cannot be measured` });
    await e.put(out);
    e.ended(out);
    return;
  }
  const metric = s.expected.metric;
  await e.collector.refresh(item, s.plugin, [metric], now);
  const h = e.collector.history(item, s.plugin, metric);
  const changedAt = s.run.startedAt;
  const settledAt = s.run.finishedAt + item.verify.warmUpMs;
  const beforeFrom = changedAt - item.verify.windowMs;
  const afterTo = settledAt + item.verify.windowMs;
  const samples = h.since(beforeFrom);
  // The window before the change was kept with the suggestion when the run started (it survives a
  // restart and a ring too small for a fast metric); the history's ring is the fallback.
  const before = s.before?.length ? s.before.map(([t, v]) => ({ t, v })) : samples.filter((p) => p.t < changedAt);
  const after = samples.filter((p) => p.t >= settledAt && p.t <= afterTo);
  const v = judged(verdict(before, after, s.expected, { alpha: item.verify.alpha, minEffect: item.verify.minEffect, minSamples: item.verify.minSamples }), s, item.verify.minEffect);
  const verification: Verification = {
    metric, before: { ...v.before, from: beforeFrom, to: changedAt }, after: { ...v.after, from: settledAt, to: afterTo }, change: v.change, p: v.p, outcome: v.outcome,
  };
  const said = `${metric} median ${formatNumber(v.before.median)} → ${formatNumber(v.after.median)} (${formatChange(v.change)}, ${formatP(v.p)}, ${v.before.n}/${v.after.n} samples)`;
  if (v.outcome === 'better') return end(e, moved(s, 'succeeded', now, { verification, reason: `${s.expected.hold ? 'held' : 'better'}: ${said}` }));
  if (v.outcome === 'worse') {
    if (!item.verify.revert || !s.revert) {
      return end(e, moved(s, 'failed', now, { verification, reason: `worse: ${said}; ${!item.verify.revert ? 'automatic revert is off' : 'there is no revert for it'}, so the change stays` }));
    }
    try {
      const run = await e.port.start({
        plan: s.revert.runbook, data: s.revert.parameters, requestedBy: 'optimization', trigger: { suggestion: s.id, optimization: s.optimization, plugin: s.plugin },
      });
      const reverting = moved(s, 'reverting', e.now(), { verification, revertRun: { id: run.id, startedAt: e.now() }, reason: `worse: ${said}`, note: `revert run ${run.id}` });
      await e.put(reverting);
      e.log(`optimization: suggestion ${s.id} made ${metric} worse; reverting by run ${run.id}`, 'warn');
    } catch (err) {
      await end(e, moved(s, 'failed', e.now(), { verification, reason: `worse: ${said}; the revert did not start: ${err instanceof Error ? err.message : String(err)}` }));
    }
    return;
  }
  const why = v.outcome === 'insufficient' ? `too little data: ${v.before.n} samples before and ${v.after.n} after; needs ${item.verify.minSamples} on each side` : `no measurable change: ${said}`;
  return end(e, moved(s, 'inconclusive', now, { verification, reason: why }));
}

export async function followReverting(s: Suggestion, e: FollowEdges): Promise<void> {
  if (!s.revertRun) return;
  const end = await runEnd(s.revertRun, e.item(s.optimization)?.guardrails.timeoutMs ?? 30 * 60_000, e);
  if (!end) return;
  const now = e.now();
  if (end.ok) {
    const reverted = moved(s, 'reverted', now, { revertRun: end.run, reason: `${s.reason ?? 'worse'}; reverted by run ${end.run.id}` });
    await e.put(reverted);
    e.ended(reverted);
    return;
  }
  const failed = moved(s, 'failed', now, { revertRun: end.run, reason: `${s.reason ?? 'worse'}; the revert failed: ${end.why}` });
  await e.put(failed);
  e.log(`optimization: the revert of suggestion ${s.id} failed: ${end.why}; the change is still in place`, 'error');
  e.ended(failed);
}

/**
 * A saving (`expected.hold`: fewer workers, a tighter limit) succeeds when the metric did not move
 * its way by more than the expected size plus `minEffect`; moving further is worse; moving the
 * other way (or not at all) is fine. An improvement is judged as the verdict says.
 */
function judged(v: ReturnType<typeof verdict>, s: Suggestion, minEffect: number): ReturnType<typeof verdict> {
  if (!s.expected.hold || v.outcome === 'insufficient') return v;
  const moved = s.expected.direction === 'up' ? v.change : -v.change;
  const significant = v.p < 1 && (v.outcome === 'better' || v.outcome === 'worse');
  return { ...v, outcome: significant && moved > s.expected.size + minEffect ? 'worse' : 'better' };
}

async function end(e: FollowEdges, s: Suggestion): Promise<void> {
  await e.put(s);
  e.log(`optimization: suggestion ${s.id} ${s.state}: ${s.reason}`, s.state === 'succeeded' ? 'info' : 'warn');
  e.ended(s);
}

