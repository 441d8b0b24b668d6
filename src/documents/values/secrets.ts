// The secret values of a run: environment variables the project names as secret, and every
// `{ env: NAME }` value of its targets, channels, monitoring query servers, tokens and database.
import type { ProjectDoc, ValueDoc } from '../schema/index.ts';
import { channelValues } from './channel-values.ts';

function envRefs(config: ProjectDoc): string[] {
  const values: ValueDoc[] = [];
  for (const t of Object.values(config.targets ?? {})) if (t.type === 'http') values.push(t.url, ...Object.values(t.headers ?? {}));
  for (const c of Object.values(config.channels ?? {})) values.push(...channelValues(c));
  for (const server of [config.monitoring?.prometheus, config.monitoring?.loki]) if (server) values.push(server.url, ...Object.values(server.headers ?? {}));
  for (const t of config.server?.tokens ?? []) values.push(t.token);
  if (config.store?.postgres) values.push(config.store.postgres.url);
  return values.flatMap((v) => (typeof v === 'string' ? [] : [v.env]));
}

/** The project's secrets with the environment variable each comes from. */
export function namedSecrets(config: ProjectDoc, env: Readonly<Record<string, string | undefined>>): Array<{ name: string; value: string }> {
  const names = new Set([...(config.secrets ?? []), ...envRefs(config)]);
  return [...names].flatMap((name) => (env[name] ? [{ name, value: env[name]! }] : []));
}

export function projectSecrets(config: ProjectDoc, env: Readonly<Record<string, string | undefined>>, extra: readonly string[] = []): string[] {
  return [...namedSecrets(config, env).map((s) => s.value), ...extra.filter(Boolean)];
}
