// The workers pages' own words (titles, headings, columns, notes, actions), in both languages.
import { translator, type Locale, type Messages } from '../i18n.ts';
import type { TaskView } from './model.ts';

export const text: Messages<'title' | 'intro' | 'noHub' | 'figures' | 'workersFigure' | 'workerStates' | 'activeTasks' | 'activeHint'
  | 'pendingTasks' | 'pendingHint' | 'unroutableTasks' | 'unroutableHint' | 'successRate' | 'successHint' | 'queue' | 'queueEmpty'
  | 'workerList' | 'workerCaption' | 'noWorkers' | 'name' | 'state' | 'capabilities' | 'held' | 'done' | 'lastSeen' | 'actions' | 'none'
  | 'on' | 'drain' | 'drainConfirm' | 'tasks' | 'tasksIntro' | 'taskCaption' | 'filters' | 'priority' | 'any' | 'activeChoice' | 'endedChoice'
  | 'show' | 'noTasks' | 'shown' | 'task' | 'type' | 'worker' | 'attempts' | 'attemptsOf' | 'execution' | 'created' | 'waits' | 'waitsAny'> = {
  en: {
    title: 'Workers',
    intro: 'The processes that run tasks for this server (`pluginops worker`), and the tasks queued for them. A task goes to an online worker that has every capability it needs, the highest priority first; a task that waits long enough rises in priority.',
    noHub: 'Tasks and workers are not served by this process.',
    figures: 'Workers and tasks in figures', workersFigure: 'Workers', workerStates: '{idle} idle · {busy} busy · {draining} draining · {offline} offline',
    activeTasks: 'Active tasks', activeHint: 'claimed or running', pendingTasks: 'Pending tasks', pendingHint: 'in the queue',
    unroutableTasks: 'Waiting for a worker', unroutableHint: 'pending, and no online worker has their capabilities',
    successRate: 'Success rate', successHint: '{completed} succeeded · {failed} failed', queue: 'Queue by priority', queueEmpty: 'The queue is empty.',
    workerList: 'Registered workers', workerCaption: 'Workers with their state, capabilities and the tasks they hold',
    noWorkers: 'No worker has registered. Start one pointed at this server: `pluginops worker --name NAME --capability CAPABILITY`.',
    name: 'Name', state: 'State', capabilities: 'Capabilities', held: 'Tasks held', done: 'Completed / failed', lastSeen: 'Last seen', actions: 'Actions', none: 'none',
    on: 'on {host}', drain: 'Drain', drainConfirm: 'Drain worker {name}? It takes no new tasks; the tasks it holds run to their end.',
    tasks: 'Tasks', tasksIntro: 'Newest first, at most {n}.', taskCaption: 'Tasks, newest first',
    filters: 'Filters', priority: 'Priority', any: 'Any', activeChoice: 'Not ended (pending, claimed or running)', endedChoice: 'Ended', show: 'Show',
    noTasks: 'No task matches.', shown: '{n} shown of {total}',
    task: 'Task', type: 'Type', worker: 'Worker', attempts: 'Attempts', attemptsOf: '{n}/{max}', execution: 'Execution', created: 'Created',
    waits: 'waits: no online worker has {capabilities}', waitsAny: 'waits: no worker is online',
  },
  ko: {
    title: '워커',
    intro: '이 서버의 태스크를 실행하는 프로세스(`pluginops worker`)와 그 프로세스를 기다리는 태스크입니다. 태스크는 필요한 기능을 모두 가진 온라인 워커에게 우선순위가 높은 것부터 배정되며, 오래 기다린 태스크는 우선순위가 올라갑니다.',
    noHub: '이 프로세스에서는 태스크와 워커를 다루지 않습니다.',
    figures: '워커와 태스크 수치', workersFigure: '워커', workerStates: '유휴 {idle} · 작업 중 {busy} · 드레인 중 {draining} · 오프라인 {offline}',
    activeTasks: '실행 중인 태스크', activeHint: '할당됨 또는 실행 중', pendingTasks: '대기 중인 태스크', pendingHint: '대기열에 있음',
    unroutableTasks: '워커를 기다리는 태스크', unroutableHint: '대기 중이지만 필요한 기능을 가진 온라인 워커가 없음',
    successRate: '성공률', successHint: '성공 {completed} · 실패 {failed}', queue: '우선순위별 대기열', queueEmpty: '대기열이 비어 있습니다.',
    workerList: '등록된 워커', workerCaption: '워커의 상태, 기능, 보유한 태스크',
    noWorkers: '등록된 워커가 없습니다. 이 서버를 가리키는 워커를 시작하세요: `pluginops worker --name 이름 --capability 기능`.',
    name: '이름', state: '상태', capabilities: '기능', held: '보유 태스크', done: '완료 / 실패', lastSeen: '마지막 신호', actions: '작업', none: '없음',
    on: '호스트 {host}', drain: '드레인', drainConfirm: '{name} 워커를 드레인할까요? 새 태스크를 받지 않고, 보유한 태스크는 끝까지 실행합니다.',
    tasks: '태스크', tasksIntro: '최신순, 최대 {n}건.', taskCaption: '태스크, 최신순',
    filters: '필터', priority: '우선순위', any: '전체', activeChoice: '끝나지 않음(대기, 할당됨, 실행 중)', endedChoice: '끝남', show: '보기',
    noTasks: '조건에 맞는 태스크가 없습니다.', shown: '전체 {total}건 중 {n}건',
    task: '태스크', type: '유형', worker: '워커', attempts: '시도', attemptsOf: '{n}/{max}', execution: '실행', created: '생성 시각',
    waits: '대기: {capabilities} 기능을 가진 온라인 워커가 없습니다', waitsAny: '대기: 온라인 워커가 없습니다',
  },
};

/** A pending task no online worker can take, said plainly: "waits: no online worker has deploy, gpu". */
export function waitsText(locale: Locale, t: Pick<TaskView, 'capabilities'>): string {
  const say = translator(text, locale);
  return t.capabilities.length ? say('waits', { capabilities: t.capabilities.join(', ') }) : say('waitsAny');
}
