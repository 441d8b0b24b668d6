// The metrics file of `optimize analyze --metrics`: CSV and JSON that read, and bad input whose
// problems are located (CSV line and column, JSON syntax position, JSON shape path), truncated
// after 20, and the limits that bound the cost (size, series, samples, line length).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsFileError, readMetricsFile, seriesKey } from '../../../src/optimize/sources/file.ts';
import { jsonSyntaxProblem, lineCol } from '../../../src/optimize/sources/json-position.ts';

let dir: string;
let n = 0;
function file(text: string, ext = 'csv'): string {
  const path = join(dir, `m${n++}.${ext}`);
  writeFileSync(path, text);
  return path;
}
const errorOf = async (path: string, limits = {}) => {
  const r = await readMetricsFile(path, limits);
  if (r.ok) throw new Error('expected the file to be refused');
  return r.error;
};

test.before(() => { dir = mkdtempSync(join(tmpdir(), 'pluginops-metrics-file-')); });
test.after(() => { rmSync(dir, { recursive: true, force: true }); });

test('CSV: ms, seconds with decimals and ISO times; samples in time order per plugin and metric', async () => {
  const path = file([
    '\uFEFFtimestamp,plugin,metric,value',
    '1700000060000,resizer,latency,120',
    '1700000000.5,resizer,latency,100.5',
    '',
    '2023-11-14T22:13:40Z,resizer,cpu,0.25',
    '1700000030000,"thumbs",latency,-2e1',
  ].join('\r\n'));
  const r = await readMetricsFile(path);
  if (!r.ok) throw new Error(r.error);
  assert.equal([...r.series.keys()].sort(), [seriesKey('resizer', 'cpu'), seriesKey('resizer', 'latency'), seriesKey('thumbs', 'latency')].sort());
  assert.equal(r.series.get('resizer\u0000latency'), [{ t: 1_700_000_000_500, v: 100.5 }, { t: 1_700_000_060_000, v: 120 }]);
  assert.equal(r.series.get('resizer\u0000cpu'), [{ t: Date.parse('2023-11-14T22:13:40Z'), v: 0.25 }]);
  assert.equal(r.series.get('thumbs\u0000latency'), [{ t: 1_700_000_030_000, v: -20 }]);
});

test('CSV: the columns may come in any order', async () => {
  const r = await readMetricsFile(file('value,metric,plugin,timestamp\n7,latency,a,1700000000\n'));
  assert.equal(r.ok && [...r.series], [['a\u0000latency', [{ t: 1_700_000_000_000, v: 7 }]]]);
});

test('JSON: series with [t, v] pairs; two entries for one series are joined', async () => {
  const path = file(`  \n{ "series": [
    { "plugin": "resizer", "metric": "latency", "samples": [[1700000060000, 2], [1700000000, 1]] },
    { "plugin": "resizer", "metric": "latency", "samples": [["2023-11-14T22:14:00Z", 3]] },
    { "plugin": "thumbs", "metric": "cpu", "samples": [] }
  ] }`, 'json');
  const r = await readMetricsFile(path);
  if (!r.ok) throw new Error(r.error);
  assert.equal(r.series.get('resizer\u0000latency'), [{ t: 1_700_000_000_000, v: 1 }, { t: 1_700_000_040_000, v: 3 }, { t: 1_700_000_060_000, v: 2 }]);
  assert.equal(r.series.get('thumbs\u0000cpu'), undefined);
});

test('CSV: a bad number is located at its line and the column where its field starts', async () => {
  const path = file('timestamp,plugin,metric,value\n1700000000000,a,latency,1\n1700000001000,a,latency,12x\n');
  assert.is(await errorOf(path), `${path}:3:25: column 4 (value): the value "12x" is not a number; expected a finite number such as 12.5`);
  const reordered = file('plugin,value,metric,timestamp\na,1,latency,1700000000000\nb,NaN,latency,1700000000000\n');
  assert.is(await errorOf(reordered), `${reordered}:3:3: column 2 (value): the value "NaN" is not a number; expected a finite number such as 12.5`);
});

test('CSV: every bad field of a line, each with its column; bad names and times', async () => {
  const path = file('timestamp,plugin,metric,value\nyesterday,9lives,lat-ency,1\n1700000000000,a,b\n');
  const r = await readMetricsFile(path);
  if (r.ok) throw new Error('expected problems');
  assert.equal(r.problems.map((p) => [p.line, p.col]), [[2, 1], [2, 11], [2, 18], [3, 18]]);
  assert.match(r.error, `${path}:2:1: column 1 (timestamp): the time "yesterday" is not a time; expected ms since the epoch, seconds, or an ISO time such as 2024-05-01T10:00:00Z`);
  assert.match(r.error, `${path}:2:11: column 2 (plugin): the plugin "9lives" is not a plugin id`);
  assert.match(r.error, `${path}:3:18: 3 fields; expected 4 (timestamp,plugin,metric,value)`);
});

test('CSV: a missing header, an unknown column, a missing column', async () => {
  const noHeader = file('1700000000000,a,latency,1\n');
  assert.is(await errorOf(noHeader), `${noHeader}:1:1: the first line is a sample, not a header; expected the header \`timestamp,plugin,metric,value\` first`);
  const unknown = file('time,plugin,metric,value\n');
  assert.is(await errorOf(unknown), `${unknown}:1:1: the header has an unknown column "time"; expected the header \`timestamp,plugin,metric,value\``);
  const short = file('timestamp,plugin,value\n');
  assert.is(await errorOf(short), `${short}:1:1: the header has no \`metric\` column; expected the header \`timestamp,plugin,metric,value\``);
  const blank = file('\n\n  \n');
  assert.is(await errorOf(blank), `${blank}: is empty; expected CSV with the header \`timestamp,plugin,metric,value\` or JSON \`{ "series": [...] }\``);
});

test('CSV: quotes — a comma inside, a doubled quote, an unclosed one', async () => {
  const path = file('timestamp,plugin,metric,value\n1700000000000,"a",latency,"1,5"\n1700000000000,"a""b",latency,1\n1700000000000,"a,latency,1\n');
  const r = await readMetricsFile(path);
  if (r.ok) throw new Error('expected problems');
  assert.equal(r.problems, [
    { line: 2, col: 27, message: 'column 4 (value): the value "1,5" is not a number; expected a finite number such as 12.5' },
    { line: 3, col: 15, message: 'column 2 (plugin): the plugin "a\\"b" is not a plugin id; expected letters, digits, `_` and `-`, starting with a letter' },
    { line: 4, col: 15, message: 'a quoted field has no closing `"`; expected it on the same line' },
  ]);
});

test('more than 20 problems: the first 20 in full, then "… and N more"', async () => {
  const rows = Array.from({ length: 25 }, (_, i) => `1700000000000,a,latency,x${i}`);
  const path = file(['timestamp,plugin,metric,value', ...rows].join('\n'));
  const r = await readMetricsFile(path);
  if (r.ok) throw new Error('expected problems');
  const lines = r.error.split('\n');
  assert.is(lines.length, 21);
  assert.is(lines[0], `${path}:2:25: column 4 (value): the value "x0" is not a number; expected a finite number such as 12.5`);
  assert.is(lines[19]?.startsWith(`${path}:21:25:`), true);
  assert.is(lines[20], '… and 5 more');
  assert.is(r.more, 5);
  const thrown = new MetricsFileError(path, r.problems, r.error);
  assert.equal([thrown.code, thrown.location], ['E_METRICS_FILE', { file: path, line: 2, col: 25 }]);
});

test('JSON: a syntax error at its line and column', async () => {
  const trailing = file('{\n  "series": [\n    { "plugin": "a", }\n  ]\n}\n', 'json');
  assert.is(await errorOf(trailing), `${trailing}:3:22: not JSON: unexpected '}'; expected a property name in double quotes`);
  const bare = file('{ "series": [\n  { "plugin": a }\n] }', 'json');
  assert.is(await errorOf(bare), `${bare}:2:15: not JSON: unexpected 'a'; expected a value`);
  const cut = file('{ "series": [ [1, 2', 'json');
  assert.is(await errorOf(cut), `${cut}:1:20: not JSON: the text ends early; expected \`,\` or \`]\``);
});

test('JSON: shape problems by path', async () => {
  const path = file(JSON.stringify({ series: [
    { plugin: 'a', metric: 'latency', samples: [[1, 2]] },
    'oops',
    { plugin: 'a b', metric: 'latency', samples: [[1700000000000, 1], [1700000000000], [1700000000000, '3'], [-1, 4]] },
    { plugin: 'a', metric: 'latency' },
  ] }), 'json');
  const r = await readMetricsFile(path);
  if (r.ok) throw new Error('expected problems');
  assert.equal(r.error.split('\n'), [
    `${path}: series[1]: expected an object with plugin, metric and samples, found string "oops"`,
    `${path}: series[2].plugin: the plugin "a b" is not a plugin id; expected letters, digits, \`_\` and \`-\`, starting with a letter`,
    `${path}: series[2].samples[1]: expected a [time, value] pair, found [1700000000000]`,
    `${path}: series[2].samples[2][1]: the value "3" is not a number; expected a JSON number such as 12.5`,
    `${path}: series[2].samples[3][0]: the time -1 is not a time; expected ms since the epoch, seconds, or an ISO time such as 2024-05-01T10:00:00Z`,
    `${path}: series[3].samples: expected a list of [time, value] pairs, found nothing`,
  ]);
  const notSeries = file('{"data": []}', 'json');
  assert.is(await errorOf(notSeries), `${notSeries}: series: expected a list of series, found nothing`);
});

test('limits: the size is refused before reading; series, samples per series and line length are capped', async () => {
  const big = file(`timestamp,plugin,metric,value\n${'1700000000000,a,latency,1\n'.repeat(100)}`);
  assert.is(await errorOf(big, { maxBytes: 1024 }), `${big}: is 2.6 KiB; metrics files of at most 1 KiB are read`);
  const json = file(`{"series": [${' '.repeat(2000)}]}`, 'json');
  assert.match(await errorOf(json, { maxJsonBytes: 1024 }), 'of JSON; JSON metrics files of at most');
  const many = file(`timestamp,plugin,metric,value\n${['a', 'b', 'c', 'd'].map((p) => `1,${p},latency,1`).join('\n')}\n`);
  assert.is(await errorOf(many, { maxSeries: 2 }), `${many}:4:1: more than 2 series (plugin and metric pairs); split the file`);
  assert.is(await errorOf(big, { maxSamplesPerSeries: 10 }), `${big}:12:1: more than 10 samples for plugin a, metric latency; use a coarser step or a shorter window`);
  const long = file(`timestamp,plugin,metric,value\n1,a,latency,1\n1,a,latency,${'9'.repeat(5000)}\n1,a,latency,2\n`);
  assert.is(await errorOf(long, { maxLineChars: 1000 }), `${long}:3:1: the line is longer than 1000 characters`);
  assert.equal(await readMetricsFile(join(dir, 'absent.csv')), {
    ok: false, error: `${join(dir, 'absent.csv')}: cannot read the metrics file: no such file (ENOENT)`, problems: [{ message: 'cannot read the metrics file: no such file (ENOENT)' }], more: 0,
  });
});

test('a large CSV is read as a stream: 200,000 lines, one series', async () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => `${1_700_000_000_000 + (199_999 - i) * 1000},a,latency,${i % 100}`);
  const r = await readMetricsFile(file(`timestamp,plugin,metric,value\n${rows.join('\n')}\n`));
  if (!r.ok) throw new Error(r.error);
  const samples = r.series.get('a\u0000latency')!;
  assert.is(samples.length, 200_000);
  assert.ok(samples.every((s, i) => i === 0 || s.t > samples[i - 1]!.t));
});

test('the JSON syntax scan: a table of texts and where they stop being JSON', () => {
  const cases: Array<[string, number | undefined]> = [
    ['{"a": [1, 2.5e3, -0, true, false, null, "x\\u00e9\\n"]}', undefined],
    ['[1, 2,]', 6], ['{"a" 1}', 5], ['"line\nbreak"', 5], ['01', 1], ['[1] 2', 4], ['{"a": "\\x"}', 7], ['', 0], ['[[[[', 4],
  ];
  for (const [text, at] of cases) {
    assert.is(jsonSyntaxProblem(text)?.at, at, text);
    if (at !== undefined) assert.throws(() => JSON.parse(text));
    else JSON.parse(text);
  }
  assert.equal(lineCol('ab\ncd\nef', 7), { line: 3, col: 2 });
});

test.run();
