// The run-time controls of `serve`: read from `<store>/controls.json` at the start (a file that is
// not a controls file stops the start, naming it), checked against the configuration of the
// moment, and each change written to the log and, with a git journal, committed under
// `controls/`. `/metrics` shows them as gauges and a counter.
import { Controls } from '../monitor/controls/controls.ts';
import { controlsFile } from '../monitor/controls/file.ts';
import type { Known } from '../monitor/controls/view.ts';
import { isActive } from '../monitor/alerts/maintenance.ts';
import type { MonitorConfig } from '../monitor/runtime/config.ts';
import type { Journal } from '../journal/git-journal.ts';
import type { Logger } from './log.ts';
import { exposition } from './metrics.ts';

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function openControls(storeDir: string, known: () => Known, log: Logger, journal: () => Pick<Journal, 'recordControl'> | undefined, mask: () => (text: string) => string): Promise<Controls> {
  return Controls.open({
    now: Date.now, file: controlsFile(storeDir), known, mask,
    onChange: (change, state) => {
      const until = change.until === undefined ? '' : ` until ${new Date(change.until).toISOString()}`;
      log(`control: ${change.action} ${change.target}${until} by ${change.by}: ${oneLine(change.reason)}`, 'info', {
        control: change.action, target: change.target, by: change.by, reason: oneLine(change.reason), seq: change.seq,
      });
      journal()?.recordControl({ change, state }).catch((e: unknown) => log(`control change ${change.seq}: could not write the git journal: ${e instanceof Error ? e.message : String(e)}`, 'error'));
    },
  });
}

/** The controls as Prometheus families: what is paused, whether self-healing runs, maintenance in force, changes made. */
export function controlMetrics(controls: Controls, config: Pick<MonitorConfig, 'checks' | 'rules' | 'maintenance'>, now: number): string {
  const view = controls.view();
  const known: Known = config;
  const configuredWindowsActive = config.maintenance.filter((w) => isActive(w, now)).length;
  const paused = { check: (id: string) => controls.checkPaused(id) !== undefined, rule: (id: string) => controls.rulePaused(id) !== undefined };
  const off = new Set(view.selfHealing.off.map((h) => h.rule));
  return exposition([
    {
      name: 'pluginops_monitoring_paused', help: 'Paused at run time: all monitoring (target="all"), and each check and rule of the configuration (1 when its own pause or the pause of all applies).', type: 'gauge',
      samples: [
        { labels: { target: 'all' }, value: view.monitoring === 'paused' ? 1 : 0 },
        ...[...known.checks.keys()].map((check) => ({ labels: { check }, value: paused.check(check) ? 1 : 0 })),
        ...[...known.rules.keys()].map((rule) => ({ labels: { rule }, value: paused.rule(rule) ? 1 : 0 })),
      ],
    },
    {
      name: 'pluginops_self_healing_enabled', help: 'Self-healing on (1) or turned off at run time (0): as a whole, and per rule of the configuration.', type: 'gauge',
      samples: [
        { value: view.selfHealing.enabled ? 1 : 0 },
        ...[...known.rules.keys()].map((rule) => ({ labels: { rule }, value: view.selfHealing.enabled && !off.has(rule) ? 1 : 0 })),
      ],
    },
    {
      name: 'pluginops_maintenance_active', help: 'Maintenance windows in force now: started at run time (source="control") and configured in monitoring.maintenance (source="config").', type: 'gauge',
      samples: [{ labels: { source: 'control' }, value: view.maintenance.length }, { labels: { source: 'config' }, value: configuredWindowsActive }],
    },
    { name: 'pluginops_control_changes_total', help: 'Run-time control changes made (pause, resume, self-healing, maintenance).', type: 'counter', samples: [{ value: view.changeCount }] },
  ]);
}
