// The action's inputs, read and checked once: a wrong value is a clear error naming the input.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { findManifest } from '../plugins/manifest.ts';
import { PluginopsError } from '../errors/base.ts';

/**
 * The action's inputs as action.yml declares them (key in code → name under `with:`), and its
 * outputs. The code reads and writes only through these names; a test holds them equal to
 * action.yml's `inputs` and `outputs`.
 */
export const inputNames = {
  workflow: 'workflow', changedBase: 'changed-base', plugin: 'plugin', config: 'config', params: 'params',
  dryRun: 'dry-run', failOn: 'fail-on', githubToken: 'github-token', environment: 'environment', comment: 'comment', conflicts: 'conflicts',
} as const satisfies Record<string, string>;

export type InputName = (typeof inputNames)[keyof typeof inputNames];

export const outputNames = ['execution-id', 'status', 'version', 'artifact', 'sha256', 'sarif', 'summary-json', 'matrix', 'risk-level', 'conflict-level'] as const;

export type OutputName = (typeof outputNames)[number];

export class InputError extends PluginopsError {
  readonly code = 'E_INPUT';
  readonly kind = 'usage';
}

export const failOnLevels = ['low', 'medium', 'high', 'critical', 'none'] as const;

export interface ActionInputs {
  workflow: string;
  /** When set, the action only lists the plugins changed since this ref, as the `matrix` output. */
  changedBase?: string;
  /** Plugin directories relative to the working directory; empty for a workflow without one. */
  plugins: string[];
  config?: string;
  params: Record<string, unknown>;
  dryRun: boolean;
  failOn?: (typeof failOnLevels)[number];
  token?: string;
  environment?: string;
  comment: boolean;
  /** On pull requests, compare the change with the other open pull requests. */
  conflicts: boolean;
}

/** YAML 1.2 booleans, as the runner's own getBooleanInput reads them. */
function boolean(name: string, text: string, fallback: boolean): boolean {
  if (text === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  throw new InputError(`input \`${name}\` is "${text}"; expected true or false`);
}

/** `plugins/*` takes every directory below `plugins` that holds a plugin manifest. */
function expandPlugins(text: string, cwd: string): string[] {
  const out: string[] = [];
  for (const item of text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean)) {
    if (item.endsWith('/*')) {
      const dir = resolve(cwd, item.slice(0, -2));
      if (!existsSync(dir)) throw new InputError(`input \`plugin\`: ${item.slice(0, -2)} does not exist`);
      for (const name of readdirSync(dir).sort()) {
        const p = join(dir, name);
        if (statSync(p).isDirectory() && findManifest(p)) out.push(relative(cwd, p));
      }
      continue;
    }
    if (!existsSync(resolve(cwd, item))) throw new InputError(`input \`plugin\`: ${item} does not exist`);
    out.push(item);
  }
  return [...new Set(out)];
}

/** Reads every input of the table once, then checks and converts them. */
export function readInputs(get: (name: InputName) => string, cwd: string): ActionInputs {
  const raw = Object.fromEntries(Object.entries(inputNames).map(([k, name]) => [k, get(name)])) as Record<keyof typeof inputNames, string>;
  const workflow = raw.workflow.trim();
  const changedBase = raw.changedBase.trim() || undefined;
  if (!workflow && !changedBase) throw new InputError('input `workflow` is required: a template id such as full_deployment, a workflow id, or a file (or give changed-base to list changed plugins)');
  const paramsText = raw.params;
  let params: unknown = {};
  try { params = paramsText.trim() ? parse(paramsText) : {}; } catch (e) { throw new InputError(`input \`params\` is not valid YAML: ${(e as Error).message.split('\n')[0]}`); }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new InputError('input `params` must be a YAML map, e.g. "target: production"');
  const failOn = raw.failOn.trim();
  if (failOn && !failOnLevels.includes(failOn as ActionInputs['failOn'] & string)) throw new InputError(`input \`fail-on\` is "${failOn}"; expected one of: ${failOnLevels.join(', ')}`);
  return {
    workflow,
    changedBase,
    plugins: expandPlugins(raw.plugin, cwd),
    config: raw.config.trim() || undefined,
    params: params as Record<string, unknown>,
    dryRun: boolean(inputNames.dryRun, raw.dryRun.trim(), false),
    failOn: (failOn || undefined) as ActionInputs['failOn'],
    token: raw.githubToken.trim() || undefined,
    environment: raw.environment.trim() || undefined,
    comment: boolean(inputNames.comment, raw.comment.trim(), true),
    conflicts: boolean(inputNames.conflicts, raw.conflicts.trim(), true),
  };
}
