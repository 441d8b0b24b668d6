// Counts from a JUnit XML report (pytest, node --test, and most other runners write one).

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
