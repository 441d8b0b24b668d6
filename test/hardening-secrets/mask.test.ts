// The masker's forms, table-driven: each line of a multi-line secret, base64 at every byte
// alignment inside a longer base64 text (whatever comes before and after), URL-encoded base64,
// the JSON-escaped form; and what stays visible (documented as not masked).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maskDeep, masker } from '../../src/engine/mask.ts';
import { sealParameters } from '../../src/runs/secret-params.ts';

const secret = 'p@ss/word+42?';
const mask = masker([secret]);
const b64 = (text: string) => Buffer.from(text).toString('base64');

test('base64 of the secret is masked at every alignment, with any text before and after it', () => {
  for (let before = 0; before <= 5; before++) {
    for (let after = 0; after <= 3; after++) {
      const encoded = b64(`${'u'.repeat(before)}${before ? ':' : ''}${secret}${'x'.repeat(after)}`);
      const masked = mask(`Authorization: Basic ${encoded}`);
      assert.ok(masked.includes('***'), `${before} before, ${after} after: ${masked}`);
      const left = masked.slice('Authorization: Basic '.length).replace('***', '');
      // What is left is the base64 of the text around the secret, give or take the edge characters.
      const around = (before ? before + 1 : 0) + after;
      assert.ok(left.length <= 4 * Math.ceil(around / 3) + 6, `only the text around it is left (${before}/${after}): ${masked}`);
      assert.is(mask(`x=${encodeURIComponent(encoded)}`).includes('***'), true, `URL-encoded (${before}/${after})`);
    }
  }
});

test('each line of a multi-line secret is masked on its own; trivially short lines are not', () => {
  const multi = masker(['-----BEGIN KEY-----\nMIIBVwIBADANBgkqhkiG9w0BAQEFAASCAUEwggE9AgEAAkEA\n  yy\nQw==\n-----END KEY-----\n']);
  assert.is(multi('line: MIIBVwIBADANBgkqhkiG9w0BAQEFAASCAUEwggE9AgEAAkEA'), 'line: ***');
  assert.is(multi('last: Qw== end'), 'last: *** end');
  assert.is(multi('-----END KEY-----'), '***');
  assert.is(multi('yy stays'), 'yy stays');
  assert.is(multi(JSON.stringify({ key: '-----BEGIN KEY-----\nMIIBVwIBADANBgkqhkiG9w0BAQEFAASCAUEwggE9AgEAAkEA\n  yy\nQw==\n-----END KEY-----\n' })), '{"key":"***"}');
});

test('literal, JSON-escaped and URL-encoded forms are masked; hex and reversed are not', () => {
  const quoted = masker(['a"b\\c-secret']);
  assert.is(quoted(JSON.stringify({ v: 'a"b\\c-secret' })), '{"v":"***"}');
  assert.is(mask(`q=${encodeURIComponent(secret)}`), 'q=***');
  assert.is(mask(`plain ${secret}.`), 'plain ***.');
  const hex = Buffer.from(secret).toString('hex');
  assert.is(mask(hex), hex);
  const reversed = [...secret].reverse().join('');
  assert.is(mask(reversed), reversed);
});

test('a number that spells a secret (a PIN in a number parameter) is masked and sealed like text', () => {
  const pin = masker(['987654321']);
  assert.equal(maskDeep({ pin: 987654321, count: 3, nested: [987654321] }, pin), { pin: '***', count: 3, nested: ['***'] });
  const sealed = sealParameters({ pin: 987654321, count: 3 }, [{ name: 'PIN', value: '987654321' }], pin);
  assert.equal(sealed, { pin: { masked: '***', parts: [{ env: 'PIN' }] } });
});

test.run();
