// Every page of the dashboard, in one list: the server matches requests against it.
import type { Page } from '../page.ts';
import { statisticsPage } from './statistics.ts';

export const pages: readonly Page[] = [
  statisticsPage,
];
