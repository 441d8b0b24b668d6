// Every page of the dashboard, in one list: the server matches requests against it.
import type { Page } from '../page.ts';
import { approvalsPage } from './approvals.ts';
import { runPage } from './run.ts';
import { runbookPage } from './runbook.ts';
import { runbooksPage } from './runbooks.ts';

export const pages: readonly Page[] = [
  approvalsPage, runbooksPage, runbookPage, runPage,
];
