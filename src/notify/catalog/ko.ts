// Korean notification texts. Severity and category names are the alert system's own words:
// 정보 → 성공 → 경고 → 위험 → 긴급; 시스템, 자동화, Git, 테스트, 배포, 성능, 보안, 백업.
import type { Catalog } from './types.ts';

export const ko: Catalog = {
  severity: { info: '정보', success: '성공', warning: '경고', danger: '위험', critical: '긴급' },
  category: {
    system: '시스템', automation: '자동화', git: 'Git', test: '테스트',
    deploy: '배포', performance: '성능', security: '보안', backup: '백업',
  },
  executionStatus: { success: '성공', failed: '실패', timed_out: '시간 초과', cancelled: '취소됨', interrupted: '중단됨' },
  stepStatus: {
    pending: '대기', running: '실행 중', success: '성공', failed: '실패', skipped: '건너뜀', waiting: '승인 대기', cancelled: '취소됨', timed_out: '시간 초과', interrupted: '중단됨',
  },
  incidentStatus: { firing: '발생', resolved: '해결됨', acknowledged: '확인됨' },
  verb: { success: '성공', failed: '실패', timed_out: '시간 초과', cancelled: '취소됨', interrupted: '중단됨' },
  execution: {
    title: '{workflow} {verb}',
    titleForPlugin: '[{plugin}] {workflow} {verb}',
    stepsRanOne: '{count}개 단계 실행 완료',
    stepsRanMany: '{count}개 단계 실행 완료',
    took: ' (소요 시간 {duration})',
    stepFailed: '{step} 단계 실패',
    stepTimedOut: '{step} 단계 시간 초과',
    ended: '실행 {verb}',
  },
  label: {
    workflow: '워크플로', plugin: '플러그인', status: '상태', duration: '소요 시간', failedStep: '실패한 단계', error: '오류',
    execution: '실행', step: '단계', steps: '단계 목록', severity: '심각도', category: '카테고리', source: '출처',
    labels: '레이블', at: '시각', details: '자세히', recipients: '수신자', evidence: '근거',
  },
  incident: {
    open: '{at}부터 발생 중입니다.',
    acknowledged: '{by}님이 확인했습니다.',
    resolved: '{by}님이 해결했습니다: {resolution}',
    autoResolved: '알림이 멈춘 뒤 안정되어 자동으로 해결되었습니다.',
    flapping: '상태가 불안정합니다(플래핑): 최근 20회 평가 중 {ratio}%에서 상태가 바뀌었습니다. 안정될 때까지 상태 변경 알림을 보내지 않습니다.',
  },
  alert: {
    unhealthy: '헬스 체크 {check} 비정상: {reason}',
    level: '{what} 값 {value}이(가) {level} 기준 {threshold}에 도달했습니다',
    anomaly: '{what} 값 {value}이(가) 기준선 {center}에서 {z}σ 벗어났습니다 (이상 징후)',
    trend: '{what} 값이 {eta} 후 {threshold}에 도달할 것으로 예측됩니다 (R² {r2})',
    rule: '{rule}: {reason}',
  },
  duration: { ms: '{n}밀리초', s: '{n}초', m: '{m}분', h: '{h}시간', ms2: '{m}분 {s}초', hm: '{h}시간 {m}분' },
  email: { footer: 'pluginops에서 보낸 알림입니다.' },
};
