// Every page of the dashboard, in one list: the server matches requests against it.
import type { Page } from '../page.ts';
import { incidentPage } from './incident.ts';
import { incidentsPage } from './incidents.ts';
import { selfHealingPage } from './self-healing.ts';

export const pages: readonly Page[] = [
  incidentsPage, incidentPage, selfHealingPage,
];
