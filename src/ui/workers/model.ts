// What the workers pages read from the API (src/api/schemas/tasks.ts), and where a task's page
// and the API routes are: ids are one path segment.
import type { Static } from '@sinclair/typebox';
import type { Task, TaskStats, Worker } from '../../api/schemas/tasks.ts';

export type TaskView = Static<typeof Task>;
export type WorkerView = Static<typeof Worker>;
export type StatsView = Static<typeof TaskStats>;
export type TaskState = TaskView['state'];
export type Priority = TaskView['priority'];
export type WorkerState = WorkerView['state'];

export const taskPath = (id: string): string => `/workers/tasks/${encodeURIComponent(id)}`;
/** A worker's row on /workers. */
export const workerAnchor = (id: string): string => `worker-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
export const workerPath = (id: string): string => `/workers#${workerAnchor(id)}`;
export const executionPath = (id: string): string => `/executions/${encodeURIComponent(id)}`;
export const taskApi = (id: string, action?: 'cancel' | 'retry'): `/api/tasks/${string}` =>
  `/api/tasks/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
export const drainApi = (id: string): `/api/workers/${string}` => `/api/workers/${encodeURIComponent(id)}/drain`;
