// Static levels in both directions (memory: higher is worse; coverage: lower is worse), inclusive
// boundaries, partial level sets, and the ordering problems.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { levelOf, levelProblem, type Direction, type Level, type Levels } from '../../src/monitor/math/levels.ts';

const memory: Levels = { warning: 70, danger: 85, critical: 95 };
const coverage: Levels = { warning: 50, danger: 30, critical: 15 };

const cases: Array<{ levels: Levels; direction?: Direction; value: number; level: Level }> = [
  { levels: memory, value: 10, level: 'ok' },
  { levels: memory, value: 69.9, level: 'ok' },
  { levels: memory, value: 70, level: 'warning' },
  { levels: memory, value: 84, level: 'warning' },
  { levels: memory, value: 85, level: 'danger' },
  { levels: memory, value: 95, level: 'critical' },
  { levels: memory, value: 1000, level: 'critical' },
  { levels: memory, value: Number.NaN, level: 'ok' },
  { levels: coverage, direction: 'below', value: 95, level: 'ok' },
  { levels: coverage, direction: 'below', value: 50, level: 'warning' },
  { levels: coverage, direction: 'below', value: 31, level: 'warning' },
  { levels: coverage, direction: 'below', value: 30, level: 'danger' },
  { levels: coverage, direction: 'below', value: 19, level: 'danger' },
  { levels: coverage, direction: 'below', value: 15, level: 'critical' },
  { levels: coverage, direction: 'below', value: 0, level: 'critical' },
  { levels: { critical: 500 }, value: 499, level: 'ok' },
  { levels: { critical: 500 }, value: 500, level: 'critical' },
  { levels: { warning: 100, critical: 500 }, value: 300, level: 'warning' },
];
for (const c of cases) {
  test(`${c.value} against ${JSON.stringify(c.levels)} ${c.direction ?? 'above'}: ${c.level}`, () => {
    assert.is(levelProblem(c.levels, c.direction), undefined);
    assert.is(levelOf(c.value, c.levels, c.direction), c.level);
  });
}

const problems: Array<{ levels: Levels; direction?: Direction; problem: string }> = [
  { levels: coverage, problem: "levels must increase toward worse for direction 'above' (warning < danger); found warning 50 and danger 30" },
  { levels: memory, direction: 'below', problem: "levels must decrease toward worse for direction 'below' (warning > danger); found warning 70 and danger 85" },
  { levels: { warning: 70, danger: 70 }, problem: "levels must increase toward worse for direction 'above' (warning < danger); found warning 70 and danger 70" },
  { levels: { warning: 70, critical: 60 }, problem: "levels must increase toward worse for direction 'above' (warning < critical); found warning 70 and critical 60" },
  { levels: { warning: 70, danger: 90, critical: 80 }, problem: "levels must increase toward worse for direction 'above' (danger < critical); found danger 90 and critical 80" },
  { levels: { danger: Number.NaN }, problem: 'danger must be a finite number; found NaN' },
  { levels: {}, problem: 'no level given: expected at least one of warning, danger, critical' },
];
for (const c of problems) {
  test(`problem: ${c.problem}`, () => {
    assert.is(levelProblem(c.levels, c.direction), c.problem);
  });
}

test.run();
