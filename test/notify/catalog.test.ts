// Message catalogs: every text present and non-empty in both languages, the alert system's
// Korean words, localized durations, and a Korean Slack message for a failed execution.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChannelDoc } from '../../src/documents/schema/project.ts';
import { catalogs, localDuration, type Catalog } from '../../src/notify/catalog/index.ts';
import { deliver } from '../../src/notify/deliver.ts';
import { executionNotification, type Incident } from '../../src/notify/message.ts';
import { slackMessage } from '../../src/notify/channels/slack.ts';
import { formatDuration } from '../../src/engine/duration.ts';
import { drive, failedRecord, parse, startReceiver, testDeps } from './helpers.ts';

function leaves(value: unknown, path = ''): Array<[string, unknown]> {
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, value]];
}

test('every catalog key is a non-empty string in both languages, and the key sets match', () => {
  const en = leaves(catalogs.en), ko = leaves(catalogs.ko);
  assert.equal(ko.map(([k]) => k), en.map(([k]) => k));
  for (const [key, value] of [...en, ...ko]) assert.ok(typeof value === 'string' && value.trim() !== '', key);
  assert.ok(en.length > 60, `${en.length} keys`);
});

test('Korean severities and categories are the alert system\'s words', () => {
  const ko: Catalog = catalogs.ko;
  assert.equal(Object.values(ko.severity), ['정보', '성공', '경고', '위험', '긴급']);
  assert.equal(Object.values(ko.category), ['시스템', '자동화', 'Git', '테스트', '배포', '성능', '보안', '백업']);
});

const durations = [0, 999, 1_200, 12_300, 65_000, 120_000, 3_600_000, 5_400_000];
test('English durations read like formatDuration; Korean ones use Korean units', () => {
  for (const ms of durations) assert.is(localDuration(ms, catalogs.en), formatDuration(ms));
  assert.equal(durations.map((ms) => localDuration(ms, catalogs.ko)), ['0밀리초', '999밀리초', '1.20초', '12.3초', '1분 5초', '2분', '1시간', '1시간 30분']);
});

test('the Korean Slack message for a failed execution is in Korean', async () => {
  const deps = testDeps();
  deps.locale = 'ko';
  const receiver = await startReceiver(deps.clock);
  deps.env = { SLACK_URL: receiver.url };
  const slack: ChannelDoc = { type: 'slack', webhookUrl: { env: 'SLACK_URL' } };
  const n = executionNotification(failedRecord(), { catalog: catalogs.ko });

  const result = await drive(deps.clock, deliver('alerts', slack, n, deps));
  await receiver.close();

  assert.ok(result.ok, result.error);
  const body = parse(receiver.requests[0]);
  assert.is(body.text, '[acme] deploy 실패: build 단계 실패 (소요 시간 12.3초): exit code 2');
  const json = JSON.stringify(body.blocks);
  for (const word of ['*워크플로*', '*플러그인*', '*상태*\\n:x: 실패', '*소요 시간*\\n12.3초', '*실패한 단계:*', '실행 `m5x1-abcd1234`']) {
    assert.ok(json.includes(word), word);
  }
});

test('a Korean incident in Slack names its status, severity and category in Korean', () => {
  const incident: Incident = {
    kind: 'incident', status: 'firing', severity: 'danger', category: 'backup', title: '백업 실패', text: '',
    dedupKey: 'backup/nightly', labels: {}, at: '2025-01-01T00:00:00.000Z',
  };
  const message = slackMessage(incident, undefined, catalogs.ko);
  assert.is(message.text, '[위험/백업] 발생: 백업 실패');
  assert.match(JSON.stringify(message.blocks), /\*심각도\*\\n위험.*\*카테고리\*\\n백업/);
});

test.run();
