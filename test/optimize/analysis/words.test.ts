// The words of findings: durations, bytes, numbers and Korean particles after values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBytes, formatCores, formatDuration, formatNumber, formatPercent, formatValue } from '../../../src/optimize/analysis/format.ts';
import { josa, type Particle } from '../../../src/optimize/analysis/korean.ts';

const formats: Array<[string, string]> = [
  [formatDuration(40 * 60_000), '40m'],
  [formatDuration(3 * 3_600_000), '3h'],
  [formatDuration(26 * 3_600_000 + 5 * 60_000), '1d 2h'],
  [formatDuration(90_000), '1m 30s'],
  [formatDuration(500), '500ms'],
  [formatDuration(0), '0s'],
  [formatNumber(340.4), '340'],
  [formatNumber(0.2534), '0.253'],
  [formatNumber(12.3456), '12.3'],
  [formatNumber(2), '2'],
  [formatBytes(512 * 1024 * 1024), '512 MiB'],
  [formatBytes(1.5 * 1024 ** 3), '1.5 GiB'],
  [formatBytes(100), '100 B'],
  [formatPercent(0.853), '85.3%'],
  [formatCores(1), '1 core'],
  [formatCores(0.42), '0.42 cores'],
  [formatValue(340, 'ms'), '340 ms'],
  [formatValue(2 * 1024 * 1024, 'bytes'), '2 MiB'],
  [formatValue(7), '7'],
];
for (const [got, want] of formats) {
  test(`format: ${want}`, () => assert.is(got, want));
}

// Read aloud: 이백 (ㄱ), 삼백사십 (ㅂ), 사 (vowel), 일 (ㄹ), 밀리초, 메비바이트, 퍼센트 (vowels), 분 (ㄴ), 개 (vowel), TTL (엘, ㄹ)
const particles: Array<[string, Particle, string]> = [
  ['200', '을', '200을'],
  ['340 ms', '이', '340 ms가'],
  ['200 ms', '을', '200 ms를'],
  ['4', '으로', '4로'],
  ['1', '으로', '1로'],
  ['6', '으로', '6으로'],
  ['10', '으로', '10으로'],
  ['0.25', '이', '0.25가'],
  ['512 MiB', '으로', '512 MiB로'],
  ['85%', '을', '85%를'],
  ['40m', '은', '40m은'],
  ['캐시 크기', '을', '캐시 크기를'],
  ['캐시 TTL', '을', '캐시 TTL을'],
  ['메모리 한도', '은', '메모리 한도는'],
  ['지연 시간', '이', '지연 시간이'],
  ['서울', '으로', '서울로'],
];
for (const [word, particle, want] of particles) {
  test(`josa: ${want}`, () => assert.is(josa(word, particle), want));
}

test.run();
