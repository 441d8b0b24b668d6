// Every page of the dashboard, in one list: the server matches requests against it.
import type { Page } from '../page.ts';
import { executionPage } from './execution.ts';
import { executionsPage } from './executions.ts';

export const pages: readonly Page[] = [
  executionsPage,
  executionPage,
];
