// Telling people how an applied suggestion ended: the Optimization's `notify` channels (else
// `monitoring.notify`), in the project's language, the git journal when one is configured, and
// the log. Delivery failures are logged by
// the sender; nothing here throws.
import type { Mask } from '../engine/mask.ts';
import { systemClock } from '../engine/clock.ts';
import type { MonitorConfig } from '../monitor/runtime/config.ts';
import type { StepMessage } from '../notify/message.ts';
import { sendToChannels } from '../notify/send.ts';
import type { OptimizationItem } from '../optimize/config.ts';
import { journalEntry, verdictMessage } from '../optimize/report.ts';
import type { Journal } from '../journal/git-journal.ts';
import type { Suggestion } from '../optimize/suggestion.ts';
import type { Project } from '../project/load.ts';
import type { LogLevel } from '../store/types.ts';

export interface TellEdges {
  project: () => Project;
  monitor: () => MonitorConfig;
  env: Record<string, string | undefined>;
  mask: () => Mask;
  log: (line: string, level: LogLevel) => void;
  fetch?: typeof globalThis.fetch;
  journal?: () => Pick<Journal, 'recordOptimization'> | undefined;
}

export function tellVerdict(s: Suggestion, item: OptimizationItem | undefined, e: TellEdges): void {
  const config = e.project().config;
  const locale = config.locale === 'ko' ? 'ko' : 'en';
  const m = verdictMessage(s, locale);
  e.log(`optimization: ${m.title}: ${m.text}`, s.state === 'failed' ? 'warn' : 'info');
  e.journal?.()?.recordOptimization(journalEntry(s)).catch((err: unknown) => e.log(`optimization ${s.id}: could not write the git journal: ${err instanceof Error ? err.message : String(err)}`, 'error'));
  const channels = item?.notify ?? e.monitor().notify;
  if (!channels.length) return;
  const message: StepMessage = {
    kind: 'step.message', title: m.title, text: m.text, severity: m.severity, at: new Date(s.updatedAt).toISOString(),
    executionId: s.run?.id ?? s.id, step: 'optimization', dedupKey: `optimization/${s.id}`,
    ...(config.server?.publicUrl ? { url: `${config.server.publicUrl.replace(/\/+$/, '')}/optimization/${encodeURIComponent(s.id)}` } : {}),
  };
  void sendToChannels(channels, config.channels, message, {
    fetch: e.fetch ?? globalThis.fetch, clock: systemClock, env: e.env, locale, ...(config.server?.publicUrl ? { publicUrl: config.server.publicUrl } : {}),
    log: (line, level) => e.log(line, level ?? 'warn'), mask: (text: string) => e.mask()(text),
  }).catch((err: unknown) => e.log(`optimization notification: ${(err as Error).message}`, 'warn'));
}
