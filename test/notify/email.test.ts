// The email channel against the SMTP sink: subject, envelope and headers of an execution
// notification, Korean texts, AUTH, and the retry policy (4xx and refused connections retry,
// 5xx does not).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChannelDoc } from '../../src/documents/schema/project.ts';
import { emailContent } from '../../src/notify/channels/email.ts';
import { catalogs } from '../../src/notify/catalog/index.ts';
import { deliver } from '../../src/notify/deliver.ts';
import { executionNotification } from '../../src/notify/message.ts';
import { drive, failedRecord, successRecord, testDeps } from './helpers.ts';
import { header, startSmtpSink } from './smtp-sink.ts';

const email = (port: number, over: Partial<Extract<ChannelDoc, { type: 'email' }>> = {}): ChannelDoc =>
  ({ type: 'email', host: '127.0.0.1', port, from: 'pluginops@example.test', to: ['ops@example.test', 'dev@example.test'], ...over });

test('an execution notification arrives with its subject, sender and recipients', async () => {
  const deps = testDeps();
  const sink = await startSmtpSink();

  const result = await drive(deps.clock, deliver('mail', email(sink.port), executionNotification(failedRecord()), deps));
  await sink.close();

  assert.equal(result, { channel: 'mail', kind: 'email', ok: true, attempts: 1, status: 250 });
  assert.is(sink.messages.length, 1);
  const [m] = sink.messages;
  assert.is(m?.from, 'pluginops@example.test');
  assert.equal(m?.to, ['ops@example.test', 'dev@example.test']);
  assert.is(header(m?.data ?? '', 'Subject'), '[pluginops] deploy failed for acme');
  assert.is(header(m?.data ?? '', 'To'), 'ops@example.test, dev@example.test');
  assert.match(m?.data ?? '', /text\/html/);
});

test('the body lists the fields in text and HTML', () => {
  const content = emailContent(executionNotification(failedRecord()), catalogs.en);

  assert.is(content.subject, '[pluginops] deploy failed for acme');
  assert.ok(content.text.startsWith('deploy failed for acme: Step build failed in 12.3s: exit code 2\n'));
  for (const line of ['Workflow: deploy', 'Plugin: acme', 'Status: failed', 'Failed step: build', 'Error: exit code 2', 'Steps: lint (success, 1.20s), build (failed, 9.00s), publish (skipped)']) {
    assert.ok(content.text.includes(`\n${line}\n`), line);
  }
  assert.match(content.html, /<th align="left">Failed step<\/th><td>build<\/td>/);
});

test('Korean: the subject and body use the Korean catalog', async () => {
  const deps = testDeps();
  deps.locale = 'ko';
  const sink = await startSmtpSink();
  const n = executionNotification(failedRecord(), { catalog: catalogs.ko });

  const result = await drive(deps.clock, deliver('mail', email(sink.port), n, deps));
  await sink.close();

  assert.ok(result.ok, result.error);
  assert.is(header(sink.messages[0]?.data ?? '', 'Subject'), '[pluginops] [acme] deploy 실패');
  assert.match(emailContent(n, catalogs.ko).text, /실패한 단계: build/);
});

test('user and password (from the environment) log in', async () => {
  const deps = testDeps({ SMTP_PASSWORD: 'pw' });
  const sink = await startSmtpSink();

  const result = await drive(deps.clock, deliver('mail', email(sink.port, { user: 'bot', password: { env: 'SMTP_PASSWORD' } }), executionNotification(successRecord()), deps));
  await sink.close();

  assert.ok(result.ok, result.error);
  assert.is(sink.messages[0]?.user, 'bot');
  assert.ok(sink.commands.some((c) => c.startsWith('AUTH ')));
});

test('a 4xx reply is retried', async () => {
  const deps = testDeps({}, { delayMs: 1_000 });
  const sink = await startSmtpSink({ reply: (command, n) => (command === 'DATA' && n === 0 ? '451 4.3.0 try again later' : undefined) });

  const result = await drive(deps.clock, deliver('mail', email(sink.port), executionNotification(failedRecord()), deps));
  await sink.close();

  assert.equal(result, { channel: 'mail', kind: 'email', ok: true, attempts: 2, status: 250 });
  assert.is(sink.messages.length, 1);
  assert.ok(deps.logs.some((l) => l.level === 'warn' && /attempt 1 failed: SMTP 451/.test(l.message)));
});

test('a 5xx reply is not retried', async () => {
  const deps = testDeps();
  const sink = await startSmtpSink({ reply: (command) => (command === 'RCPT' ? '550 5.1.1 no such user' : undefined) });

  const result = await drive(deps.clock, deliver('mail', email(sink.port, { to: ['nobody@example.test'] }), executionNotification(failedRecord()), deps));
  await sink.close();

  assert.is(result.ok, false);
  assert.is(result.attempts, 1);
  assert.is(result.status, 550);
  assert.match(result.error ?? '', /^SMTP 550/);
  assert.is(sink.messages.length, 0);
});

test('a refused connection is retried until the attempts run out', async () => {
  const deps = testDeps({}, { attempts: 2 });
  const sink = await startSmtpSink();
  const port = sink.port;
  await sink.close();

  const result = await drive(deps.clock, deliver('mail', email(port), executionNotification(failedRecord()), deps));

  assert.is(result.ok, false);
  assert.is(result.attempts, 2);
  assert.match(result.error ?? '', /gave up after 2 attempts/);
});

test('a password variable that is not set: nothing is sent', async () => {
  const deps = testDeps();

  const result = await deliver('mail', email(1, { user: 'bot', password: { env: 'SMTP_PASSWORD' } }), executionNotification(failedRecord()), deps);

  assert.equal(result, {
    channel: 'mail', kind: 'email', ok: false, attempts: 0,
    error: 'the SMTP password comes from the environment variable SMTP_PASSWORD, which is not set',
  });
});

test.run();
