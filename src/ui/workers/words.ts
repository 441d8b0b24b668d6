// How the workers pages name things, the same way on both pages and in both languages: a task's
// state, a worker's state and a priority, each as an icon and a word (the tone only adds colour),
// and a pending task no online worker can take said plainly as waiting for one.
import { html, type Html } from '../html.ts';
import type { Locale } from '../i18n.ts';
import type { Tone } from '../parts.ts';
import type { Priority, TaskState, TaskView, WorkerState } from './model.ts';

type Look = { tone: Tone; icon: string };

export const taskStateWords: Readonly<Record<Locale, Readonly<Record<TaskState | 'unroutable', string>>>> = {
  en: {
    pending: 'Pending', claimed: 'Claimed', running: 'Running', succeeded: 'Succeeded', failed: 'Failed',
    'dead-lettered': 'Dead-lettered', cancelled: 'Cancelled', unroutable: 'Waiting for a worker',
  },
  ko: {
    pending: '대기', claimed: '할당됨', running: '실행 중', succeeded: '성공', failed: '실패',
    'dead-lettered': '데드레터', cancelled: '취소됨', unroutable: '워커 대기',
  },
};
// Symbols most fonts have (no emoji font needed); the word says the same.
const taskLooks: Readonly<Record<TaskState | 'unroutable', Look>> = {
  pending: { tone: 'idle', icon: '○' }, claimed: { tone: 'info', icon: '◐' }, running: { tone: 'info', icon: '●' },
  succeeded: { tone: 'ok', icon: '✓' }, failed: { tone: 'bad', icon: '✕' }, 'dead-lettered': { tone: 'bad', icon: '⚑' },
  cancelled: { tone: 'warn', icon: '⊘' }, unroutable: { tone: 'warn', icon: '⌛' },
};

export const workerStateWords: Readonly<Record<Locale, Readonly<Record<WorkerState, string>>>> = {
  en: { idle: 'Idle', busy: 'Busy', draining: 'Draining', offline: 'Offline' },
  ko: { idle: '유휴', busy: '작업 중', draining: '드레인 중', offline: '오프라인' },
};
const workerLooks: Readonly<Record<WorkerState, Look>> = {
  idle: { tone: 'ok', icon: '○' }, busy: { tone: 'info', icon: '●' }, draining: { tone: 'warn', icon: '↓' }, offline: { tone: 'idle', icon: '✕' },
};

export const priorityWords: Readonly<Record<Locale, Readonly<Record<Priority, string>>>> = {
  en: { critical: 'Critical', high: 'High', normal: 'Normal', low: 'Low' },
  ko: { critical: '긴급', high: '높음', normal: '보통', low: '낮음' },
};
const priorityLooks: Readonly<Record<Priority, Look>> = {
  critical: { tone: 'bad', icon: '⚠' }, high: { tone: 'warn', icon: '▲' }, normal: { tone: 'idle', icon: '●' }, low: { tone: 'idle', icon: '▽' },
};

/** Highest first, as tasks are claimed. */
export const prioritiesDown: readonly Priority[] = ['critical', 'high', 'normal', 'low'];

const look = (l: Look, word: string, attr: string, value: string): Html =>
  html`<span class="badge ${l.tone}" ${attr}="${value}"><span aria-hidden="true">${l.icon}</span> ${word}</span>`;

/** A task's state; a pending task no online worker can take reads "Waiting for a worker". */
export function taskStateBadge(locale: Locale, t: Pick<TaskView, 'state' | 'unroutable'>): Html {
  const key = t.state === 'pending' && t.unroutable ? 'unroutable' : t.state;
  return look(taskLooks[key], taskStateWords[locale][key], 'data-state', key);
}
export const workerStateBadge = (locale: Locale, s: WorkerState): Html => look(workerLooks[s], workerStateWords[locale][s], 'data-state', s);
export const priorityBadge = (locale: Locale, p: Priority): Html => look(priorityLooks[p], priorityWords[locale][p], 'data-priority', p);
