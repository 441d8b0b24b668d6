// The CSV form of a metrics file, read line by line from a stream: a header naming the columns
// `timestamp`, `plugin`, `metric` and `value` (in any order), then one sample per line. Fields
// may be double-quoted ("a ""quoted"" word"), though a quoted field cannot span lines. Blank
// lines are skipped. Every problem names its line and the column (1-based, in characters) where
// the bad field starts. A line longer than `maxLineChars` is a problem and is never held whole.
import { metricProblem, pluginProblem, readTime, readValue, show, type SeriesCollector } from './file-series.ts';

export const csvColumns = ['timestamp', 'plugin', 'metric', 'value'] as const;
type Column = (typeof csvColumns)[number];

interface Field { text: string; col: number }

export async function readCsv(chunks: AsyncIterable<string>, into: SeriesCollector): Promise<void> {
  let order: Record<Column, number> | undefined;
  for await (const line of lines(chunks, into.limits.maxLineChars)) {
    if (into.stopped) return;
    if (line.tooLong) { into.problem({ line: line.number, col: 1, message: `the line is longer than ${into.limits.maxLineChars} characters` }); continue; }
    if (line.text.trim() === '') continue;
    const split = fields(line.text);
    if (!split.ok) { into.problem({ line: line.number, col: split.col, message: split.message }); continue; }
    if (order === undefined) {
      const header = readHeader(split.fields);
      if (!header.ok) { into.stop({ line: line.number, col: header.col, message: header.message }); return; }
      order = header.order;
      continue;
    }
    readRow(split.fields, order, line.number, line.text.length, into);
  }
  if (order === undefined && !into.stopped) into.stop({ line: 1, col: 1, message: `the file has no header; expected \`${csvColumns.join(',')}\`` });
}

function readRow(row: Field[], order: Record<Column, number>, line: number, length: number, into: SeriesCollector): void {
  if (row.length !== csvColumns.length) {
    into.problem({ line, col: row[csvColumns.length]?.col ?? length + 1, message: `${row.length} fields; expected ${csvColumns.length} (${csvColumns.join(',')})` });
    return;
  }
  const field = (c: Column): Field => row[order[c]]!;
  const at = (c: Column) => ({ line, col: field(c).col });
  const column = (c: Column) => `column ${order[c] + 1} (${c}): `;
  const t = readTime(field('timestamp').text);
  const v = readValue(field('value').text);
  const plugin = field('plugin').text.trim();
  const metric = field('metric').text.trim();
  const pluginBad = pluginProblem(plugin);
  const metricBad = metricProblem(metric);
  let bad = false;
  if (!t.ok) { into.problem({ ...at('timestamp'), message: column('timestamp') + t.message }); bad = true; }
  if (pluginBad) { into.problem({ ...at('plugin'), message: column('plugin') + pluginBad }); bad = true; }
  if (metricBad) { into.problem({ ...at('metric'), message: column('metric') + metricBad }); bad = true; }
  if (!v.ok) { into.problem({ ...at('value'), message: column('value') + v.message }); bad = true; }
  if (!bad && t.ok && v.ok) into.add(plugin, metric, { t: t.value, v: v.value }, { line, col: 1 });
}

type Header = { ok: true; order: Record<Column, number> } | { ok: false; col: number; message: string };

function readHeader(row: Field[]): Header {
  const expected = `expected the header \`${csvColumns.join(',')}\``;
  const names = row.map((f) => f.text.trim().toLowerCase());
  if (readTime(row[0]?.text ?? '').ok && !names.some((n) => (csvColumns as readonly string[]).includes(n))) {
    return { ok: false, col: 1, message: `the first line is a sample, not a header; ${expected} first` };
  }
  const order: Partial<Record<Column, number>> = {};
  for (const [i, name] of names.entries()) {
    const known = csvColumns.find((c) => c === name);
    if (known === undefined) return { ok: false, col: row[i]!.col, message: `the header has an unknown column ${show(row[i]!.text)}; ${expected}` };
    if (order[known] !== undefined) return { ok: false, col: row[i]!.col, message: `the header names \`${known}\` twice; ${expected}` };
    order[known] = i;
  }
  const missing = csvColumns.filter((c) => order[c] === undefined);
  if (missing.length) return { ok: false, col: 1, message: `the header has no ${missing.map((c) => `\`${c}\``).join(', ')} column; ${expected}` };
  return { ok: true, order: order as Record<Column, number> };
}

type Split = { ok: true; fields: Field[] } | { ok: false; col: number; message: string };

/** The fields of one line with the column each starts at; a field in quotes may hold commas. */
export function fields(text: string): Split {
  const out: Field[] = [];
  let i = 0;
  for (;;) {
    const col = i + 1;
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return { ok: false, col, message: 'a quoted field has no closing `"`; expected it on the same line' };
        value += text.slice(j, q);
        if (text[q + 1] === '"') { value += '"'; j = q + 2; continue; }
        i = q + 1;
        break;
      }
      if (i < text.length && text[i] !== ',') return { ok: false, col: i + 1, message: 'text after a closing `"`; expected `,` or the end of the line' };
      out.push({ text: value, col });
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? text.length : comma;
      out.push({ text: text.slice(i, end), col });
      i = end;
    }
    if (i >= text.length) return { ok: true, fields: out };
    i++; // the comma
  }
}

interface Line { number: number; text: string; tooLong: boolean }

/**
 * Lines of a stream of text, numbered from 1, without their `\n` or `\r\n` (and without a BOM on
 * the first). A line past `maxChars` comes back empty with `tooLong`, its text dropped as it is read.
 */
export async function* lines(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<Line> {
  let pending = '';
  let tooLong = false;
  let number = 1;
  const finish = (raw: string): Line => {
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (number === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const line = text.length > maxChars || tooLong ? { number, text: '', tooLong: true } : { number, text, tooLong: false };
    number++;
    tooLong = false;
    return line;
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      if (!tooLong) {
        pending += chunk.slice(from, nl < 0 ? chunk.length : nl);
        // Two over the limit leave room for a `\r` and a BOM; finish checks the length again.
        if (pending.length > maxChars + 2) { tooLong = true; pending = ''; }
      }
      if (nl < 0) break;
      yield finish(pending);
      pending = '';
      from = nl + 1;
    }
  }
  if (pending !== '' || tooLong) yield finish(pending);
}
