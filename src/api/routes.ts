// The route table: every route the API answers, in one list. The router matches against it and
// the OpenAPI document is generated from it.
import type { Route } from './route.ts';
import { alertRoutes } from './routes/alerts.ts';
import { checkRoutes } from './routes/checks.ts';
import { documentRoutes } from './routes/documents.ts';
import { controlRoutes } from './routes/controls.ts';
import { executionRoutes } from './routes/executions.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { logRoutes } from './routes/logs.ts';
import { metaRoutes } from './routes/meta.ts';
import { metricRoutes } from './routes/metrics.ts';
import { runRoutes } from './routes/runs.ts';
import { runbookRoutes } from './routes/runbooks.ts';
import { remediationRoutes } from './routes/remediation.ts';
import { optimizationRoutes } from './routes/optimization.ts';
import { taskRoutes } from './routes/tasks.ts';
import { statisticsRoutes } from './routes/statistics.ts';
import { statusRoutes } from './routes/status.ts';
import { workflowRoutes } from './routes/workflows.ts';

export const routes: readonly Route[] = [
  ...workflowRoutes, ...executionRoutes, ...runRoutes, ...logRoutes, ...statisticsRoutes,
  ...checkRoutes, ...alertRoutes, ...incidentRoutes, ...remediationRoutes, ...metricRoutes, ...statusRoutes, ...metaRoutes,
  ...documentRoutes,
  ...controlRoutes,
  ...runbookRoutes,
  ...optimizationRoutes,
  ...taskRoutes,
];
