// Error signatures: what each mask replaces, grouping and ranking of templates, the bounds on
// line length and line count, and the likely cause of the top signature.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { likelyCause, unknownCause } from '../../../src/optimize/analysis/causes.ts';
import { maxLineLength, maxLines, template, topSignatures } from '../../../src/optimize/analysis/signatures.ts';

const masking: Array<[string, string]> = [
  ['timeout after 5012 ms', 'timeout after <n> ms'],
  ['timeout after 30s calling 10.0.3.7:8080', 'timeout after <dur> calling <ip>'],
  ['retry in 1m30s (attempt 3/5)', 'retry in <dur> (attempt <n>/<n>)'],
  ['took 250ms, 1.5s, 20µs', 'took <dur>, <dur>, <dur>'],
  ['user "alice@example.com" not found', 'user <str> not found'],
  ["key 'a b c' missing; can't continue", "key <str> missing; can't continue"],
  ['request 123e4567-e89b-12d3-a456-426614174000 failed', 'request <id> failed'],
  ['commit 9f86d081884c7d65 rejected at 0xdeadBEEF', 'commit <id> rejected at <id>'],
  ['at 2024-05-01T12:00:00.123Z: job 42 died', 'at <time>: job <n> died'],
  ['connect [2001:db8::1]:443 refused', 'connect <ip> refused'],
  ['worker-3   exited\twith code -1', 'worker-<n> exited with code -<n>'],
  ['ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED <ip>'],
  ['http2 stream v8 error', 'http2 stream v8 error'],
  ['  ', ''],
];
for (const [line, want] of masking) {
  test(`template: ${JSON.stringify(line)} → ${JSON.stringify(want)}`, () => assert.is(template(line), want));
}

test('topSignatures groups lines by template, most frequent first, ties in first-seen order, the newest line as example', () => {
  const lines = [
    'timeout after 30s calling 10.0.0.1:80',
    'disk full on /var',
    'timeout after 5s calling 10.0.0.2:80',
    'user "bob" not found',
    'timeout after 2s calling 10.0.0.3:80',
    'user "carol" not found',
    'unrelated line 1',
  ];

  const top = topSignatures(lines, 3);

  assert.equal(top, [
    { template: 'timeout after <dur> calling <ip>', count: 3, example: 'timeout after 30s calling 10.0.0.1:80' },
    { template: 'user <str> not found', count: 2, example: 'user "bob" not found' },
    { template: 'disk full on /var', count: 1, example: 'disk full on /var' },
  ]);
  assert.is(topSignatures(lines).length, 4);
  assert.equal(topSignatures([]), []);
});

test('cost is bounded: a line is cut at 2 KB and only the first 10,000 lines count', () => {
  const long = 'x'.repeat(10 * maxLineLength) + ' 42';
  const lines = Array.from({ length: maxLines + 500 }, () => 'boom 7');

  assert.is(template(long).length, maxLineLength);
  assert.equal(topSignatures(lines), [{ template: 'boom <n>', count: maxLines, example: 'boom 7' }]);
  assert.is(topSignatures([long])[0]!.example.length, maxLineLength);
  // hostile 2 KB lines (many short words, an odd run of quotes): linear, no backtracking blow-up
  const started = Date.now();
  topSignatures(Array.from({ length: 1000 }, (_, i) => `${'ab1 '.repeat(400)} ${i} ${'"'.repeat(301)}${'0.'.repeat(200)}`));
  assert.ok(Date.now() - started < 2000, 'a thousand hostile 2 KB lines in under 2 s');
});

const causes: Array<[string, string]> = [
  ['upstream request timed out after <dur>', 'a dependency is slow or unreachable'],
  ['connect ECONNREFUSED <ip>', 'a dependency is down'],
  ['getaddrinfo ENOTFOUND db.internal', 'a host name does not resolve (DNS)'],
  ['FATAL ERROR: JavaScript heap out of memory', 'memory exhaustion'],
  ['container OOMKilled', 'memory exhaustion'],
  ['write /data/x: no space left on device', 'the disk is full'],
  ['open /etc/secret: permission denied', 'missing permissions'],
  ['GET /api responded with status 503', 'an upstream service answers with server errors (5xx)'],
  ['HTTP/1.1 429 Too Many Requests', 'a dependency is rate-limiting the plugin'],
  ["TypeError: Cannot read properties of undefined (reading 'id')", "a bug in the plugin's code"],
  ['took 512 ms to render the room', unknownCause.en],
];
for (const [line, want] of causes) {
  test(`likely cause of ${JSON.stringify(line)}: ${want}`, () => {
    assert.is(likelyCause({ template: template(line), example: line }).en, want);
  });
}

test('no signature: the cause is unknown, in both languages', () => {
  assert.equal(likelyCause(undefined), unknownCause);
  assert.ok(unknownCause.ko.length > 0);
});

test.run();
