// Counts and located failures from a JUnit XML report (pytest, node --test, and most other
// runners write one).
import type { LocatedProblem } from '../../engine/events.ts';
import { inPlugin, locateIn, type Place } from './frames.ts';
import { maxProblems } from './tracebacks.ts';

export interface TestCounts { tests: number; failures: number; errors: number; skipped: number }

/** Sums the top-level <testsuite> elements, or counts <testcase> elements when they carry no totals. */
export function junitCounts(xml: string): TestCounts {
  const cases = [...xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
  if (cases.length > 0) {
    const counts = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
    for (const c of cases) {
      const body = c[2] ?? '';
      if (/<failure\b/.test(body)) counts.failures++;
      else if (/<error\b/.test(body)) counts.errors++;
      else if (/<skipped\b/.test(body)) counts.skipped++;
    }
    return counts;
  }
  const suite = /<testsuites?\b([^>]*)>/.exec(xml)?.[1] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
  return { tests: attr('tests'), failures: attr('failures'), errors: attr('errors'), skipped: attr('skipped') };
}

const unescapeXml = (s: string) => s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;|&#39;/g, "'")
  .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');

const attribute = (attrs: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1]!) : undefined;
};

/**
 * The failed and erroring test cases of a JUnit report, each at the innermost frame of the
 * plugin's own files in its report, or else at the place its `file` and `line` attributes name.
 */
export function junitFailures(xml: string, at: Place, limit = maxProblems): LocatedProblem[] {
  const found: LocatedProblem[] = [];
  for (const c of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    if (found.length >= limit) break;
    const failure = /<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(c[2] ?? '');
    if (!failure) continue;
    const attrs = c[1]!;
    const name = attribute(attrs, 'name') ?? 'a test';
    const body = unescapeXml(failure[3] ?? '');
    const file = attribute(attrs, 'file'), line = Number(attribute(attrs, 'line'));
    // The report's frames say where the test failed; the attributes, where the test is.
    const where = locateIn(body, at) ?? (file && line > 0 ? inPlugin({ path: file, line }, at) : undefined);
    if (!where) continue;
    const said = attribute(failure[2]!, 'message') ?? body.split('\n').find((l) => l.trim()) ?? '';
    found.push({ ...where, message: `${name}: ${said.trim().slice(0, 500) || failure[1]}`, title: failure[1] === 'failure' ? 'test failed' : 'test error' });
  }
  return found;
}
