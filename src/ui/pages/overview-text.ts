// The overview's words, in English and Korean.
import type { Messages } from '../i18n.ts';

type Key = 'title' | 'openIncidents' | 'waitingApprovals' | 'checks' | 'checkCounts' | 'noChecks' | 'state' | 'check' | 'latency' | 'reason'
  | 'sparkline' | 'moreDown' | 'allChecks' | 'incidents' | 'noIncidents' | 'executions' | 'running' | 'noneRunning' | 'waiting' | 'noneWaiting'
  | 'allExecutions' | 'approvals' | 'noApprovals' | 'deadline' | 'decide' | 'system' | 'scheduler' | 'schedulerOn' | 'schedulerOff' | 'jobs'
  | 'lag' | 'worstLag' | 'missed' | 'reloaded' | 'configError' | 'refused'
  | 'info' | 'success' | 'warning' | 'danger' | 'critical' | 'open' | 'acknowledged' | 'resolved' | 'pending' | 'waitingStatus' | 'runningStatus';

export const overviewText: Messages<Key> = {
  en: {
    title: 'Overview', openIncidents: 'Open incidents', waitingApprovals: 'Waiting for approval', checks: 'Health checks',
    checkCounts: '{total} checks: {up} up, {down} down, {paused} paused, {pending} not run yet', noChecks: 'No health checks are configured.',
    state: 'State', check: 'Check', latency: 'Response time, 24 h', reason: 'Why it failed', sparkline: 'Mean response time of {id} per hour over 24 hours',
    moreDown: '{count} more checks are down', allChecks: 'All {count} checks', incidents: 'Open incidents', noIncidents: 'No open incidents.',
    executions: 'Executions', running: 'Running ({count})', noneRunning: 'Nothing is running.', waiting: 'Waiting ({count})', noneWaiting: 'Nothing is waiting.',
    allExecutions: 'All executions', approvals: 'Approvals', noApprovals: 'No approval is waiting for a decision.', deadline: 'decided by', decide: 'Decide on the approvals page',
    system: 'Scheduler and configuration', scheduler: 'Scheduler', schedulerOn: 'Running', schedulerOff: 'Off (no --cron)', jobs: 'Jobs',
    lag: 'Lag of the latest runs', worstLag: 'worst since start:', missed: 'Missed slots', reloaded: 'Configuration loaded', configError: 'Last reload', refused: 'Refused',
    info: 'info', success: 'success', warning: 'warning', danger: 'danger', critical: 'critical', open: 'open', acknowledged: 'acknowledged', resolved: 'resolved',
    pending: 'pending', waitingStatus: 'waiting', runningStatus: 'running',
  },
  ko: {
    title: '개요', openIncidents: '열린 인시던트', waitingApprovals: '승인 대기', checks: '헬스 체크',
    checkCounts: '체크 {total}개: 정상 {up}, 장애 {down}, 일시 중지 {paused}, 아직 실행 안 됨 {pending}', noChecks: '설정된 헬스 체크가 없습니다.',
    state: '상태', check: '체크', latency: '응답 시간, 24시간', reason: '실패 이유', sparkline: '{id}의 24시간 시간별 평균 응답 시간',
    moreDown: '장애 체크 {count}개 더 보기', allChecks: '체크 {count}개 모두 보기', incidents: '열린 인시던트', noIncidents: '열린 인시던트가 없습니다.',
    executions: '실행', running: '실행 중 ({count})', noneRunning: '실행 중인 것이 없습니다.', waiting: '대기 중 ({count})', noneWaiting: '대기 중인 것이 없습니다.',
    allExecutions: '모든 실행', approvals: '승인', noApprovals: '결정을 기다리는 승인이 없습니다.', deadline: '결정 기한', decide: '승인 페이지에서 결정하기',
    system: '스케줄러와 설정', scheduler: '스케줄러', schedulerOn: '실행 중', schedulerOff: '꺼짐 (--cron 없음)', jobs: '작업',
    lag: '최근 실행 지연', worstLag: '시작 후 최대:', missed: '놓친 실행', reloaded: '설정 로드 시각', configError: '마지막 다시 읽기', refused: '거부됨',
    info: '정보', success: '성공', warning: '경고', danger: '위험', critical: '심각', open: '열림', acknowledged: '확인됨', resolved: '해결됨',
    pending: '대기', waitingStatus: '승인 대기', runningStatus: '실행 중',
  },
};
