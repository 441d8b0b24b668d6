// Every page of the dashboard, in one list: the server matches requests against it.
import type { Page } from '../page.ts';
import { approvalsPage } from './approvals.ts';
import { checkPage } from './check.ts';
import { checksPage } from './checks.ts';
import { executionPage } from './execution.ts';
import { executionsPage } from './executions.ts';
import { incidentPage } from './incident.ts';
import { incidentsPage } from './incidents.ts';
import { optimizationHistoryPage } from './optimization-history.ts';
import { optimizationPage } from './optimization.ts';
import { overviewPage } from './overview.ts';
import { runPage } from './run.ts';
import { runbookPage } from './runbook.ts';
import { runbooksPage } from './runbooks.ts';
import { selfHealingPage } from './self-healing.ts';
import { statisticsPage } from './statistics.ts';
import { suggestionPage } from './suggestion.ts';
import { taskPage } from './task.ts';
import { workersPage } from './workers.ts';

export const pages: readonly Page[] = [
  overviewPage, checksPage, checkPage,
  executionsPage, executionPage, statisticsPage,
  incidentsPage, incidentPage, selfHealingPage,
  approvalsPage, runbooksPage, runbookPage, runPage,
  optimizationPage, optimizationHistoryPage, suggestionPage,
  workersPage, taskPage,
];
