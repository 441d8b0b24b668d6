// The self-healing page's words, in both languages.
import type { Messages } from '../i18n.ts';

export const text: Messages<'title' | 'intro' | 'breakers' | 'breakersIntro' | 'noBreakers' | 'patterns' | 'patternsIntro' | 'noPatterns'
  | 'recent' | 'recentIntro' | 'noRemediations' | 'plan' | 'target' | 'state' | 'open' | 'closed' | 'halfOpen' | 'badInRow' | 'lastOutcome' | 'lastReset'
  | 'reset' | 'resetConfirm' | 'actions' | 'scope' | 'plugin' | 'successes' | 'failures' | 'positive' | 'negative' | 'score' | 'recommended'
  | 'reasons' | 'controls' | 'healing' | 'healingOn' | 'healingOff' | 'offFor' | 'everywhere' | 'monitoring' | 'running' | 'paused'
  | 'pauses' | 'maintenance' | 'until' | 'turnOff' | 'turnOn' | 'turnOnRule' | 'reason' | 'rule' | 'ruleHint' | 'byAt' | 'none' | 'any'
  | 'fixed' | 'not-fixed' | 'failed' | 'timed-out'> = {
  en: {
    title: 'Self-healing', intro: 'Automatic remediation: what stopped it, what it learned, and what it ran.',
    breakers: 'Circuit breakers', breakersIntro: 'A target where a plan failed or did not help too many times in a row: automatic remediation of it stopped until a person resets the breaker.',
    noBreakers: 'No breaker is open: remediation may run everywhere.',
    patterns: 'Learned patterns', patternsIntro: 'Outcomes and feedback per rule (or category), plugin and plan; the best-scoring plan is tried first.',
    noPatterns: 'Nothing learned yet.', recent: 'Recent remediations', recentIntro: 'The newest {n} of {total}.', noRemediations: 'No remediation has run yet.',
    plan: 'Plan', target: 'Target', state: 'State', open: 'Open', closed: 'Closed', halfOpen: 'Half-open: one trial run', badInRow: 'Bad in a row', lastOutcome: 'Last outcome',
    lastReset: 'Last reset', reset: 'Reset', resetConfirm: 'Close this breaker? Automatic remediation of the target resumes.', actions: 'Actions',
    scope: 'Rule or category', plugin: 'Plugin', successes: 'Successes', failures: 'Failures', positive: 'Helpful', negative: 'Not helpful',
    score: 'Score', recommended: 'Recommended', reasons: 'Latest reasons',
    controls: 'Run-time controls', healing: 'Self-healing', healingOn: 'On', healingOff: 'Off everywhere', offFor: 'Off for rule {rule}', everywhere: 'everywhere',
    monitoring: 'Monitoring', running: 'Running', paused: 'Paused', pauses: 'Pauses', maintenance: 'Maintenance now', until: 'until {at}',
    turnOff: 'Turn self-healing off', turnOn: 'Turn self-healing on', turnOnRule: 'Turn on for {rule}', reason: 'Reason', rule: 'Rule (optional)', ruleHint: 'Empty: everywhere.',
    byAt: 'by {by}', none: 'None', any: 'any',
    fixed: 'Fixed', 'not-fixed': 'Not fixed', failed: 'Failed', 'timed-out': 'Timed out',
  },
  ko: {
    title: '자가 치유', intro: '자동 복구: 무엇이 멈추게 했는지, 무엇을 배웠는지, 무엇을 실행했는지 보여 줍니다.',
    breakers: '서킷 브레이커', breakersIntro: '플랜이 연속으로 너무 많이 실패했거나 효과가 없었던 대상입니다. 사람이 브레이커를 재설정할 때까지 자동 복구가 멈춥니다.',
    noBreakers: '열린 브레이커가 없습니다. 어디서나 복구를 실행할 수 있습니다.',
    patterns: '학습한 패턴', patternsIntro: '규칙(또는 분류), 플러그인, 플랜별 결과와 피드백입니다. 점수가 가장 높은 플랜을 먼저 시도합니다.',
    noPatterns: '아직 학습한 것이 없습니다.', recent: '최근 복구 실행', recentIntro: '전체 {total}건 중 최신 {n}건입니다.', noRemediations: '아직 실행한 복구가 없습니다.',
    plan: '플랜', target: '대상', state: '상태', open: '열림', closed: '닫힘', halfOpen: '반열림: 시험 실행 한 번', badInRow: '연속 실패', lastOutcome: '마지막 결과',
    lastReset: '마지막 재설정', reset: '재설정', resetConfirm: '이 브레이커를 닫을까요? 대상의 자동 복구가 다시 시작됩니다.', actions: '작업',
    scope: '규칙 또는 분류', plugin: '플러그인', successes: '성공', failures: '실패', positive: '도움됨', negative: '도움 안 됨',
    score: '점수', recommended: '추천', reasons: '최근 이유',
    controls: '실행 중 제어', healing: '자가 치유', healingOn: '켜짐', healingOff: '전체 꺼짐', offFor: '{rule} 규칙에서 꺼짐', everywhere: '전체',
    monitoring: '모니터링', running: '실행 중', paused: '일시 중지됨', pauses: '일시 중지', maintenance: '진행 중인 유지 보수', until: '{at}까지',
    turnOff: '자가 치유 끄기', turnOn: '자가 치유 켜기', turnOnRule: '{rule} 규칙에 다시 켜기', reason: '이유', rule: '규칙(선택)', ruleHint: '비우면 전체에 적용됩니다.',
    byAt: '{by}', none: '없음', any: '전체',
    fixed: '해결됨', 'not-fixed': '해결 안 됨', failed: '실패', 'timed-out': '시간 초과',
  },
};
