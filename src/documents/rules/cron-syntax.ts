// Cron expressions checked without loading a scheduler: 5 fields (minute hour day month weekday)
// or 6 (with seconds first), each `*`, `?`, a value, a range, a list, with optional `/step`;
// month and weekday names; the @yearly … @hourly shortcuts. Returns what is wrong, or undefined.

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const fields: Array<{ name: string; min: number; max: number; names?: string[]; namesFrom?: number }> = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: monthNames, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: dayNames, namesFrom: 0 },
];

export function cronProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (/^@(yearly|annually|monthly|weekly|daily|hourly|minutely)$/i.test(text)) return undefined;
  const parts = text.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return `it has ${parts.length} field${parts.length === 1 ? '' : 's'}, expected 5 (minute hour day month weekday) or 6 (with seconds first)`;
  const spec = parts.length === 6 ? fields : fields.slice(1);
  for (const [i, part] of parts.entries()) {
    const f = spec[i]!;
    for (const item of part.split(',')) {
      const [range, step, extra] = item.split('/');
      if (extra !== undefined || (step !== undefined && !/^[1-9][0-9]*$/.test(step))) return `the ${f.name} field "${part}" has a bad step`;
      if (range === '*' || range === '?') continue;
      for (const bound of (range ?? '').split('-', 3)) {
        const named = f.names?.indexOf(bound.toLowerCase()) ?? -1;
        const value = named >= 0 ? named + (f.namesFrom ?? 0) : /^[0-9]+$/.test(bound) ? Number(bound) : NaN;
        if (Number.isNaN(value)) return `the ${f.name} field "${part}" is not a number, range or list`;
        if (value < f.min || value > f.max) return `the ${f.name} value ${bound} is out of range ${f.min}-${f.max}`;
      }
    }
  }
  return undefined;
}
