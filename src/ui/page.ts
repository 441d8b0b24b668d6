// A dashboard page as a value: its URL template, the navigation entry it belongs to, the live
// topics that refresh it, and a render function from the request's context to its title and
// main content. The server (server.ts) wraps that in the layout, or sends the main content
// alone when the page's script asks for a fresh fragment.
import type { Caller, Scope } from '../api/auth.ts';
import type { ApiDeps } from '../api/deps.ts';
import type { Read } from '../api/invoke.ts';
import type { Html } from './html.ts';
import type { Locale } from './i18n.ts';

/** What changed, as the live stream (/events) tells pages. */
export const topics = ['checks', 'incidents', 'executions', 'approvals', 'remediation', 'controls', 'config', 'optimization', 'tasks'] as const;
export type Topic = (typeof topics)[number];

export const navKeys = ['overview', 'executions', 'statistics', 'checks', 'incidents', 'approvals', 'runbooks', 'selfHealing', 'optimization', 'workers'] as const;
export type NavKey = (typeof navKeys)[number];

export interface PageContext {
  locale: Locale;
  /** Who is looking: the session's token, or anonymous (read) when the project allows it. */
  caller: Caller;
  /** Whether the caller's scopes grant `access`: a page shows a button only then (the API checks again). */
  may(access: Scope): boolean;
  /** The page's path as requested (raw) and its decoded `{param}` values (checked like API ids). */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  deps: ApiDeps;
  /** GET a path under /api/ as the caller, in process (the same answer the API gives). */
  api<T = unknown>(target: string): Promise<Read<T>>;
  now: number;
  signal: AbortSignal;
}

export interface PageBody {
  title: string;
  main: Html;
  /** Defaults to 200. */
  status?: number;
  /** A path on this site to send the browser to instead (303); `main` is then not shown. */
  redirect?: string;
}

export interface Page {
  /** A path template like `/checks/{id}`; `{name}` matches one segment. */
  path: string;
  nav?: NavKey;
  /** Topics whose changes refresh the page's main content without a reload. */
  live?: readonly Topic[];
  render(ctx: PageContext): Promise<PageBody>;
}
