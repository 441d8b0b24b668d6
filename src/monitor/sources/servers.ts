// The project's query servers (`monitoring.prometheus`, `monitoring.loki`) as the clients take
// them: every `{ env: NAME }` value read from the environment. A variable that is not set throws
// MissingValueError (code E_MISSING_ENV) naming the setting and the variable.
import type { MonitoringDoc, QueryServerDoc } from '../../documents/schema/project.ts';
import { readValue } from '../../documents/values/values.ts';
import type { QueryServer } from './request.ts';

export type ServerKind = 'prometheus' | 'loki';

export function readServer(doc: QueryServerDoc, env: Readonly<Record<string, string | undefined>>, where: string): QueryServer {
  const server: QueryServer = { url: readValue(doc.url, env, `${where}.url`) };
  if (doc.headers) {
    server.headers = Object.fromEntries(Object.entries(doc.headers).map(([name, v]) => [name, readValue(v, env, `${where}.headers.${name}`)]));
  }
  if (doc.tenant !== undefined) server.tenant = doc.tenant;
  return server;
}

/** The configured server of one kind, read; undefined when the project configures none. */
export function projectServer(monitoring: MonitoringDoc | undefined, kind: ServerKind, env: Readonly<Record<string, string | undefined>>): QueryServer | undefined {
  const doc = monitoring?.[kind];
  return doc ? readServer(doc, env, `monitoring.${kind}`) : undefined;
}

/** The server as it may be shown: a plain URL as written, an `{ env: NAME }` one as `$NAME`. */
export function serverLabel(monitoring: MonitoringDoc | undefined, kind: ServerKind): string | undefined {
  const url = monitoring?.[kind]?.url;
  if (url === undefined) return undefined;
  return typeof url === 'string' ? url : `$${url.env}`;
}
