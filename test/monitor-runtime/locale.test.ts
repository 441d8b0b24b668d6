// `locale: ko`: the incident's title, its notification texts and the words each channel adds
// (severity, status, labels) come from the Korean catalog, at every receiver.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { header } from '../notify/smtp-sink.ts';
import { apiDown, mailText, min, sec, world } from './helpers.ts';

type Json = Record<string, any>;

test('locale ko: firing, escalation and resolution are told in Korean', async () => {
  const w = await world({ documents: apiDown(), project: ['locale: ko'], monitoring: ['autoResolve: { critical: 1m }'] });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    const incident = w.monitor.incidents()[0]!;
    assert.match(incident.title, /^API down: 헬스 체크 api 비정상: /, 'the title is generated in Korean');

    const [firing] = w.got('/hook') as Json[];
    assert.is(firing!.status, 'firing');
    assert.is(firing!.alerts[0].annotations.description, `${new Date(incident.openedAt).toISOString()}부터 발생 중입니다.`);
    assert.match(firing!.text, /^\[긴급\/시스템\] 발생: API down: 헬스 체크 api 비정상/);
    const slack = JSON.stringify(w.got('/slack')[0]);
    assert.match(slack, /긴급/, 'the severity in Korean');
    assert.match(slack, /발생 중입니다/);
    assert.match(slack, /심각도/, 'the labels in Korean');
    assert.not.match(slack, /critical|Firing|Severity/);

    await w.run(5 * min);
    assert.is(w.smtp.messages.length, 1, 'the escalation e-mail');
    assert.match(header(w.smtp.messages[0]!.data, 'Subject') ?? '', /^\[pluginops\] \[긴급\] 발생: API down: 헬스 체크 api 비정상/);
    assert.match(mailText(w.smtp.messages[0]!.data), /pluginops에서 보낸 알림입니다/);

    w.service.mode = 'up';
    await w.run(2 * min);
    assert.is(w.monitor.incidents()[0]!.status, 'resolved');
    const resolved = (w.got('/hook') as Json[]).at(-1)!;
    assert.is(resolved.status, 'resolved');
    assert.is(resolved.alerts[0].annotations.description, '알림이 멈춘 뒤 안정되어 자동으로 해결되었습니다.');
    assert.match(JSON.stringify(w.got('/slack').at(-1)), /해결됨/);
    assert.match(header(w.smtp.messages.at(-1)!.data, 'Subject') ?? '', /\[긴급\] 해결됨: /);
  } finally {
    await w.close();
  }
});

test('locale ko: acknowledgement and manual resolution texts', async () => {
  const w = await world({ documents: apiDown(), project: ['locale: ko'] });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    const { id } = w.monitor.incidents()[0]!;
    assert.ok((await w.monitor.acknowledge(id, '김철수'))?.ok);
    await w.run(10 * sec);
    assert.is((w.got('/hook') as Json[]).at(-1)!.alerts[0].annotations.description, '김철수님이 확인했습니다.');
    assert.ok((await w.monitor.resolve(id, '김철수', '서버를 재시작했습니다'))?.ok);
    await w.run(10 * sec);
    assert.is((w.got('/hook') as Json[]).at(-1)!.alerts[0].annotations.description, '김철수님이 해결했습니다: 서버를 재시작했습니다');
    assert.match(JSON.stringify(w.got('/slack').at(-1)), /김철수님이 해결했습니다/);
  } finally {
    await w.close();
  }
});

test.run();
