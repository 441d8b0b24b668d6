// The JSON form of a metrics file: `{ "series": [ { "plugin": "x", "metric": "latency",
// "samples": [[t, v], …] } ] }`, with t as in the CSV form (ms, seconds under 1e11, or an ISO
// time) and v a number. A syntax error is located by line and column; a value of the wrong shape
// by its path (`series[3].samples[10]`). Two entries for one plugin and metric are joined.
import { isRecord } from '../../monitor/sources/envelope.ts';
import { metricProblem, pluginProblem, readTime, readValue, show, type SeriesCollector } from './file-series.ts';
import { jsonSyntaxProblem, lineCol } from './json-position.ts';

export function readJson(text: string, into: SeriesCollector): void {
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) {
    const found = jsonSyntaxProblem(text) ?? { at: 0, message: e instanceof Error ? e.message : String(e) };
    into.stop({ ...lineCol(text, found.at), message: `not JSON: ${found.message}` });
    return;
  }
  if (!isRecord(doc)) { into.stop({ path: '(top)', message: `expected an object \`{ "series": [...] }\`, found ${kind(doc)}` }); return; }
  if (!Array.isArray(doc.series)) { into.stop({ path: 'series', message: `expected a list of series, found ${kind(doc.series)}` }); return; }
  for (const [i, entry] of doc.series.entries()) {
    if (into.stopped) return;
    readSeries(entry, `series[${i}]`, into);
  }
}

function readSeries(entry: unknown, path: string, into: SeriesCollector): void {
  if (!isRecord(entry)) { into.problem({ path, message: `expected an object with plugin, metric and samples, found ${kind(entry)}` }); return; }
  const pluginBad = pluginProblem(entry.plugin);
  const metricBad = metricProblem(entry.metric);
  if (pluginBad) into.problem({ path: `${path}.plugin`, message: pluginBad });
  if (metricBad) into.problem({ path: `${path}.metric`, message: metricBad });
  if (!Array.isArray(entry.samples)) { into.problem({ path: `${path}.samples`, message: `expected a list of [time, value] pairs, found ${kind(entry.samples)}` }); return; }
  const plugin = entry.plugin;
  const metric = entry.metric;
  const named = typeof plugin === 'string' && typeof metric === 'string' && !pluginBad && !metricBad;
  for (const [j, pair] of entry.samples.entries()) {
    if (into.stopped) return;
    const at = `${path}.samples[${j}]`;
    if (!Array.isArray(pair) || pair.length !== 2) { into.problem({ path: at, message: `expected a [time, value] pair, found ${show(pair)}` }); continue; }
    const t = readTime(pair[0]);
    const v = typeof pair[1] === 'number' ? readValue(pair[1]) : { ok: false as const, message: `the value ${show(pair[1])} is not a number; expected a JSON number such as 12.5` };
    if (!t.ok) into.problem({ path: `${at}[0]`, message: t.message });
    if (!v.ok) into.problem({ path: `${at}[1]`, message: v.message });
    if (named && t.ok && v.ok) into.add(plugin, metric, { t: t.value, v: v.value }, { path: at });
  }
}

function kind(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${show(v)}`;
}
