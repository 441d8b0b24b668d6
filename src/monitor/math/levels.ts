// Static levels: warning, danger and critical, for a metric where higher is worse (`above`, the
// default: memory, latency) or lower is worse (`below`: test coverage). A value AT a level is at
// that level (boundaries are inclusive). Any of the three may be left out; the ones given must be
// strictly ordered in the direction of worse (above: warning < danger < critical; below:
// warning > danger > critical), which `levelProblem` checks.

export type Direction = 'above' | 'below';
export type Level = 'ok' | 'warning' | 'danger' | 'critical';

export interface Levels {
  warning?: number;
  danger?: number;
  critical?: number;
}

const order = ['warning', 'danger', 'critical'] as const;

/** Whether `value` is at or beyond `level` in the direction of worse. */
export function isBeyond(value: number, level: number, direction: Direction): boolean {
  return direction === 'above' ? value >= level : value <= level;
}

/** A sentence saying what is wrong with the levels, or undefined when they are usable. */
export function levelProblem(levels: Levels, direction: Direction = 'above'): string | undefined {
  const given = order.filter((name) => levels[name] !== undefined);
  if (given.length === 0) return 'no level given: expected at least one of warning, danger, critical';
  for (const name of given) {
    const x = levels[name]!;
    if (!Number.isFinite(x)) return `${name} must be a finite number; found ${x}`;
  }
  for (let i = 1; i < given.length; i++) {
    const lo = given[i - 1]!, hi = given[i]!;
    const a = levels[lo]!, b = levels[hi]!;
    const ok = direction === 'above' ? a < b : a > b;
    if (!ok) {
      const want = direction === 'above' ? 'increase' : 'decrease';
      const rel = direction === 'above' ? '<' : '>';
      return `levels must ${want} toward worse for direction '${direction}' (${lo} ${rel} ${hi}); found ${lo} ${a} and ${hi} ${b}`;
    }
  }
  return undefined;
}

/** The worst level `value` reaches; 'ok' when none (NaN reaches none). Assumes `levelProblem` passed. */
export function levelOf(value: number, levels: Levels, direction: Direction = 'above'): Level {
  for (let i = order.length - 1; i >= 0; i--) {
    const name = order[i]!;
    const x = levels[name];
    if (x !== undefined && isBeyond(value, x, direction)) return name;
  }
  return 'ok';
}
