// What the optimization pages read from the API (src/api/schemas/optimization.ts), and where a
// suggestion's page and API routes are: its id is one path segment.
import type { Static } from '@sinclair/typebox';
import type { OptimizationStatus, Suggestion } from '../../api/schemas/optimization.ts';

export type SuggestionView = Static<typeof Suggestion>;
export type StatusView = Static<typeof OptimizationStatus>;
export type VerificationView = NonNullable<SuggestionView['verification']>;
export type ChartBucket = SuggestionView['evidence']['chart'][number];

export const suggestionPath = (id: string): string => `/optimization/${encodeURIComponent(id)}`;
export const suggestionApi = (id: string, action?: 'apply' | 'dismiss'): `/api/optimization/suggestions/${string}` =>
  `/api/optimization/suggestions/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
export const executionPath = (id: string): string => `/executions/${encodeURIComponent(id)}`;
