// Maintenance windows: one-off (`start`/`end` as ISO times with an offset) or recurring (a cron
// expression for the start, in an IANA time zone, and a duration). A window silences
// notifications and remediation for the alerts it matches; evaluation and the state machine keep
// running, and the caller asks `activeWindow` before it notifies or remediates.
//
// - A one-off window covers [start, end). ISO times must carry `Z` or an offset, so a window
//   never depends on the zone of the machine that reads it.
// - A recurring window starts at each cron occurrence in its time zone, resolved by the `cron`
//   package, and lasts `durationMs` of elapsed time: [start, start + durationMs).
// - Across DST the start follows local time (Sunday 02:00 Berlin is 01:00Z in winter, 00:00Z in
//   summer). A start inside the skipped spring hour moves to the first instant after the gap
//   (03:00 CEST) and still lasts the full duration; in the repeated autumn hour it is the
//   first of the two instants (02:00 CEST).
// - Matching: a window with no `match` applies to every alert; `rules` (any of) and `labels`
//   (every name equal, like Alertmanager's equality matchers) must all hold when given.
import { CronTime } from 'cron';
import type { Labels } from './key.ts';
import { PluginopsError } from '../../errors/base.ts';

export interface WindowMatch {
  rules?: string[];
  labels?: Labels;
}

interface WindowBase {
  id: string;
  match?: WindowMatch;
}

export interface OneOffWindow extends WindowBase {
  kind: 'once';
  start: string;
  end: string;
}

export interface RecurringWindow extends WindowBase {
  kind: 'recurring';
  cron: string;
  durationMs: number;
  timeZone: string;
}

export type MaintenanceWindow = OneOffWindow | RecurringWindow;

export interface AlertTarget {
  ruleId: string;
  labels: Labels;
}

export class MaintenanceWindowError extends PluginopsError {
  readonly code = 'E_MAINTENANCE_WINDOW';
  readonly kind = 'invalid';
  override name = 'MaintenanceWindowError';
  constructor(
    readonly windowId: string,
    message: string,
  ) {
    super(`maintenance window ${windowId}: ${message}`);
  }
}

/**
 * The first window that is active at `at` (ms since the epoch) and applies to `target`.
 * Without a target only windows without `match` count, so a matcher never silences by accident.
 */
export function activeWindow<W extends MaintenanceWindow>(windows: readonly W[], at: number, target?: AlertTarget): W | undefined {
  return windows.find((w) => applies(w, target) && isActive(w, at));
}

export function applies(window: MaintenanceWindow, target: AlertTarget | undefined): boolean {
  const { match } = window;
  if (match === undefined) return true;
  if (target === undefined) return false;
  if (match.rules !== undefined && !match.rules.includes(target.ruleId)) return false;
  const labels = match.labels ?? {};
  return Object.keys(labels).every((name) => target.labels[name] === labels[name]);
}

export function isActive(window: MaintenanceWindow, at: number): boolean {
  if (window.kind === 'once') {
    return parseInstant(window, window.start) <= at && at < parseInstant(window, window.end);
  }
  if (!(window.durationMs > 0)) throw new MaintenanceWindowError(window.id, `durationMs must be positive, found ${window.durationMs}`);
  // An occurrence covers `at` exactly when it lies in (at - duration, at]; the cron package
  // returns the first occurrence strictly after the instant it is given.
  const next = cronTime(window).getNextDateFrom(new Date(at - window.durationMs), window.timeZone);
  return next.toMillis() <= at;
}

const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(window: OneOffWindow, iso: string): number {
  const ms = isoWithZone.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new MaintenanceWindowError(window.id, `expected an ISO time with Z or an offset like 2026-03-29T02:00:00+02:00, found ${JSON.stringify(iso)}`);
  }
  return ms;
}

function cronTime(window: RecurringWindow): CronTime {
  try {
    return new CronTime(window.cron, window.timeZone);
  } catch (e) {
    throw new MaintenanceWindowError(window.id, `cron ${JSON.stringify(window.cron)} in ${window.timeZone}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
