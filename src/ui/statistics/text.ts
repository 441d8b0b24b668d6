// The statistics page's words, in English and Korean.
import type { Messages } from '../i18n.ts';
import type { ExecutionStatus } from '../../store/types.ts';

type Key = 'title' | 'range' | 'workflow' | 'allWorkflows' | 'apply' | 'days' | 'windowNote' | 'windowNoteOne'
  | 'executions' | 'successRate' | 'average' | 'p95' | 'finished'
  | 'perDay' | 'perDayLabel' | 'ratePerDay' | 'ratePerDayLabel' | 'durationPerDay' | 'durationPerDayLabel'
  | 'perWorkflow' | 'perWorkflowLabel' | 'day' | 'total' | 'statuses' | 'legend'
  | 'noExecutions' | 'emptyDaysLeftOut' | 'tableOf' | 'countOn' | 'rateOn' | 'durationOn' | 'countOf'
  | 'averageLine' | 'p95Line' | 'dashed' | 'solid' | 'badRange'
  | 'riskPerDay' | 'riskPerDayLabel' | 'riskIntro' | 'noRisk' | 'riskSummary' | 'meanScore' | 'meanProbability' | 'failureRate'
  | 'assessed' | 'highRisk' | 'riskOn' | 'failureOn' | 'noAssessedDaysLeftOut' | ExecutionStatus;

export const text: Messages<Key> = {
  en: {
    title: 'Statistics', range: 'Range', workflow: 'Workflow', allWorkflows: 'All workflows', apply: 'Show', days: 'Last {n} days',
    windowNote: 'Executions created from {from} to {to} (UTC days), all workflows.', windowNoteOne: 'Executions of {workflow} created from {from} to {to} (UTC days).',
    executions: 'Executions', successRate: 'Success rate', average: 'Average duration', p95: 'p95 duration', finished: 'Finished',
    perDay: 'Executions per day', perDayLabel: 'Bar chart: executions per day by status, {n} days',
    ratePerDay: 'Success rate per day', ratePerDayLabel: 'Line chart: success rate of finished executions per day, {n} days',
    durationPerDay: 'Duration per day', durationPerDayLabel: 'Line chart: average and 95th-percentile duration per day, {n} days',
    perWorkflow: 'By workflow', perWorkflowLabel: 'Bar chart: executions per workflow by status',
    day: 'Day', total: 'Total', statuses: 'By status', legend: 'Legend',
    noExecutions: 'No executions in this range.', emptyDaysLeftOut: 'Days without executions are left out of the table.',
    tableOf: 'Table: {name}', countOn: '{day}: {count} {status}', rateOn: '{day}: {rate} of {finished} finished', durationOn: '{day}: {what} {duration}',
    countOf: '{name}: {count} {status}',
    averageLine: 'Average', p95Line: '95th percentile', dashed: 'dashed line, squares', solid: 'solid line, circles',
    badRange: 'Unknown range {range}: choose 7d, 30d or 90d.',
    riskPerDay: 'Risk per day', riskPerDayLabel: 'Line chart: mean risk score assessed before the runs and observed failure rate of those runs per day, {n} days',
    riskIntro: 'The failure risk assessed before each run started, beside how the assessed runs ended (failed or timed out, of those finished).',
    noRisk: 'No execution in this range has a risk score.',
    riskSummary: '{assessed} of {total} executions assessed: mean score {score}; {failed} of {finished} finished failed ({rate}).',
    meanScore: 'Mean risk score', meanProbability: 'Mean probability', failureRate: 'Observed failure rate', assessed: 'Assessed', highRisk: 'High risk',
    riskOn: '{day}: mean risk score {score} over {assessed} runs', failureOn: '{day}: {failed} of {finished} assessed runs failed ({rate})',
    noAssessedDaysLeftOut: 'Days without assessed executions are left out of the table.',
    pending: 'pending', running: 'running', waiting: 'waiting', success: 'success', failed: 'failed',
    cancelled: 'cancelled', timed_out: 'timed out', interrupted: 'interrupted',
  },
  ko: {
    title: '통계', range: '기간', workflow: '워크플로', allWorkflows: '모든 워크플로', apply: '보기', days: '최근 {n}일',
    windowNote: '{from}부터 {to}까지(UTC 기준 일) 생성된 모든 워크플로의 실행입니다.', windowNoteOne: '{from}부터 {to}까지(UTC 기준 일) 생성된 {workflow}의 실행입니다.',
    executions: '실행 수', successRate: '성공률', average: '평균 소요 시간', p95: 'p95 소요 시간', finished: '완료',
    perDay: '일별 실행 수', perDayLabel: '막대 차트: 상태별 일별 실행 수, {n}일',
    ratePerDay: '일별 성공률', ratePerDayLabel: '선 차트: 완료된 실행의 일별 성공률, {n}일',
    durationPerDay: '일별 소요 시간', durationPerDayLabel: '선 차트: 일별 평균 및 95번째 백분위수 소요 시간, {n}일',
    perWorkflow: '워크플로별', perWorkflowLabel: '막대 차트: 상태별 워크플로당 실행 수',
    day: '날짜', total: '합계', statuses: '상태별', legend: '범례',
    noExecutions: '이 기간에는 실행이 없습니다.', emptyDaysLeftOut: '실행이 없는 날은 표에서 뺐습니다.',
    tableOf: '표: {name}', countOn: '{day}: {status} {count}건', rateOn: '{day}: 완료 {finished}건 중 {rate}', durationOn: '{day}: {what} {duration}',
    countOf: '{name}: {status} {count}건',
    averageLine: '평균', p95Line: '95번째 백분위수', dashed: '점선, 사각형', solid: '실선, 원',
    badRange: '알 수 없는 기간 {range}: 7d, 30d, 90d 중에서 고르세요.',
    riskPerDay: '일별 위험도', riskPerDayLabel: '선 차트: 실행 전에 평가한 일별 평균 위험 점수와 그 실행들의 실제 실패율, {n}일',
    riskIntro: '각 실행이 시작되기 전에 평가한 실패 위험과, 평가된 실행이 끝난 결과(완료된 실행 중 실패 또는 시간 초과)를 나란히 보여 줍니다.',
    noRisk: '이 기간에는 위험 점수가 있는 실행이 없습니다.',
    riskSummary: '실행 {total}건 중 {assessed}건 평가: 평균 점수 {score}, 완료 {finished}건 중 {failed}건 실패({rate}).',
    meanScore: '평균 위험 점수', meanProbability: '평균 확률', failureRate: '실제 실패율', assessed: '평가됨', highRisk: '높은 위험',
    riskOn: '{day}: 실행 {assessed}건의 평균 위험 점수 {score}', failureOn: '{day}: 평가된 실행 {finished}건 중 {failed}건 실패({rate})',
    noAssessedDaysLeftOut: '평가된 실행이 없는 날은 표에서 뺐습니다.',
    pending: '대기 중', running: '실행 중', waiting: '승인 대기', success: '성공', failed: '실패',
    cancelled: '취소됨', timed_out: '시간 초과', interrupted: '중단됨',
  },
};
