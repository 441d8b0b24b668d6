// Alerts: every rule's alerts (one per label set) with their state.
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../route.ts';
import { Alert, AlertsQuery } from '../schemas/monitor.ts';

export const alertRoutes = [
  defineRoute({
    method: 'GET', path: '/api/alerts', access: 'read', tag: 'alerts', operationId: 'listAlerts',
    summary: 'List alerts, optionally in one state',
    query: AlertsQuery,
    answer: { status: 200, description: 'Alerts of every rule and label set.', data: Type.Array(Alert) },
    async handle({ deps, query }) {
      const alerts = deps.monitor().alerts().filter((a) => query.state === undefined || a.state === query.state);
      return { data: alerts, message: `${alerts.length} alert${alerts.length === 1 ? '' : 's'}` };
    },
  }),
];
