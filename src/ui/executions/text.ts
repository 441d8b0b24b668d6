// The words of the execution pages and the execution report, in both languages, and the status
// names they show beside each status icon.
import type { ExecutionStatus, StepStatus } from '../../store/types.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';

type Key =
  | 'listTitle' | 'filters' | 'status' | 'anyStatus' | 'workflow' | 'plugin' | 'from' | 'to' | 'apply' | 'clear'
  | 'id' | 'backToNewest' | 'created' | 'duration' | 'requestedBy' | 'newest' | 'noneMatch' | 'badDate' | 'shown'
  | 'title' | 'facts' | 'kind' | 'started' | 'ended' | 'error' | 'parameters' | 'noParameters' | 'trigger' | 'resumed'
  | 'graph' | 'graphLabel' | 'graphSummary' | 'layer' | 'layers' | 'stepsCount'
  | 'steps' | 'step' | 'attempts' | 'timing' | 'timingBar' | 'notStarted' | 'stepsPage' | 'logsOf'
  | 'logs' | 'logsUtc' | 'logStep' | 'allSteps' | 'showLogs' | 'logTail' | 'noLogs' | 'following'
  | 'artifacts' | 'name' | 'size' | 'sha256' | 'noArtifacts'
  | 'cancel' | 'cancelConfirm' | 'retry' | 'retryConfirm' | 'actions'
  | 'reportTitle' | 'reportMade' | 'logsCut';

const text: Messages<Key> = {
  en: {
    listTitle: 'Executions', filters: 'Filters', status: 'Status', anyStatus: 'Any status', workflow: 'Workflow', plugin: 'Plugin',
    from: 'From', to: 'To', apply: 'Apply', clear: 'Clear filters',
    id: 'Execution', backToNewest: 'Back to the newest', created: 'Created', duration: 'Duration', requestedBy: 'Started by', newest: 'Newest first',
    noneMatch: 'No execution matches these filters.', badDate: 'A date was not understood and is ignored: {value}', shown: '{count} shown',
    title: 'Execution {id}', facts: 'Facts', kind: 'Kind', started: 'Started', ended: 'Ended', error: 'Error',
    parameters: 'Parameters', noParameters: 'No parameters.', trigger: 'Started for', resumed: 'Taken up again',
    graph: 'Step graph', graphLabel: 'Steps of {id} in the order they wait for each other, left to right; each step shows its status.',
    graphSummary: 'More than {budget} steps: each column sums up one or more layers of the graph by status.',
    layer: 'Layer {n}', layers: 'Layers {from}–{to}', stepsCount: '{count} steps',
    steps: 'Steps', step: 'Step', attempts: 'Attempts', timing: 'Timing',
    timingBar: 'starts at +{start}, lasts {length}', notStarted: 'not started', stepsPage: 'Steps {from}–{to} of {total}', logsOf: 'logs',
    logs: 'Logs', logsUtc: 'Times in UTC.', logStep: 'Step', allSteps: 'All steps', showLogs: 'Show', logTail: 'The last {count} lines.', noLogs: 'No log lines.',
    following: 'New lines appear here while the execution runs.',
    artifacts: 'Artifacts', name: 'Name', size: 'Size (bytes)', sha256: 'SHA-256', noArtifacts: 'No artifacts.',
    cancel: 'Cancel', cancelConfirm: 'Cancel this execution?', retry: 'Retry failed steps', retryConfirm: 'Run the failed steps of this execution again?', actions: 'Actions',
    reportTitle: 'Execution report {id}', reportMade: 'Report written {at} from the store; it needs no server.', logsCut: 'Only the last {count} log lines are in this report.',
  },
  ko: {
    listTitle: '실행', filters: '필터', status: '상태', anyStatus: '모든 상태', workflow: '워크플로', plugin: '플러그인',
    from: '시작일', to: '종료일', apply: '적용', clear: '필터 지우기',
    id: '실행', backToNewest: '최신 목록으로', created: '생성', duration: '소요 시간', requestedBy: '시작한 사람', newest: '최신순',
    noneMatch: '이 필터에 맞는 실행이 없습니다.', badDate: '이해할 수 없는 날짜라서 무시합니다: {value}', shown: '{count}개 표시',
    title: '실행 {id}', facts: '정보', kind: '종류', started: '시작', ended: '종료', error: '오류',
    parameters: '파라미터', noParameters: '파라미터가 없습니다.', trigger: '시작 계기', resumed: '다시 시작됨',
    graph: '단계 그래프', graphLabel: '{id}의 단계를 서로 기다리는 순서대로 왼쪽에서 오른쪽으로 보여 줍니다. 각 단계에 상태가 표시됩니다.',
    graphSummary: '단계가 {budget}개보다 많습니다. 각 열은 그래프의 한 개 이상의 층을 상태별로 요약합니다.',
    layer: '{n}층', layers: '{from}–{to}층', stepsCount: '단계 {count}개',
    steps: '단계', step: '단계', attempts: '시도', timing: '타이밍',
    timingBar: '+{start}에 시작, {length} 동안', notStarted: '시작 안 함', stepsPage: '전체 {total}개 중 {from}–{to}번째 단계', logsOf: '로그',
    logs: '로그', logsUtc: '시각은 UTC 기준입니다.', logStep: '단계', allSteps: '모든 단계', showLogs: '보기', logTail: '마지막 {count}줄입니다.', noLogs: '로그가 없습니다.',
    following: '실행되는 동안 새 줄이 여기에 나타납니다.',
    artifacts: '아티팩트', name: '이름', size: '크기(바이트)', sha256: 'SHA-256', noArtifacts: '아티팩트가 없습니다.',
    cancel: '취소', cancelConfirm: '이 실행을 취소할까요?', retry: '실패한 단계 재시도', retryConfirm: '이 실행의 실패한 단계를 다시 실행할까요?', actions: '작업',
    reportTitle: '실행 보고서 {id}', reportMade: '{at}에 저장소에서 작성한 보고서입니다. 서버가 필요 없습니다.', logsCut: '이 보고서에는 마지막 로그 {count}줄만 들어 있습니다.',
  },
};

export type ExecutionT = (key: Key, vars?: Readonly<Record<string, string | number>>) => string;
export const executionText = (locale: Locale): ExecutionT => translator(text, locale);

const statusNames: Readonly<Record<Locale, Readonly<Record<ExecutionStatus | StepStatus, string>>>> = {
  en: {
    pending: 'pending', running: 'running', waiting: 'waiting for approval', success: 'success', failed: 'failed', skipped: 'skipped',
    cancelled: 'cancelled', timed_out: 'timed out', interrupted: 'interrupted',
  },
  ko: {
    pending: '대기 중', running: '실행 중', waiting: '승인 대기', success: '성공', failed: '실패', skipped: '건너뜀',
    cancelled: '취소됨', timed_out: '시간 초과', interrupted: '중단됨',
  },
};

/** A status's name in `locale`. */
export const statusName = (locale: Locale, status: ExecutionStatus | StepStatus): string => statusNames[locale][status] ?? status;
