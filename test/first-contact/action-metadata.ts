// action.yml as the runner reads it: parsed (not grepped), with its inputs, outputs and `runs`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ActionInputMeta { description: string; required?: boolean; default?: string }

export interface ActionMetadata {
  name: string;
  inputs: Record<string, ActionInputMeta>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and shape-checks action.yml; a shape the runner would refuse throws, naming the field. */
export function loadActionMetadata(root: string): ActionMetadata {
  const doc: unknown = parse(readFileSync(join(root, 'action.yml'), 'utf8'), { uniqueKeys: true, strict: true });
  if (!isMap(doc)) throw new Error('action.yml: expected a map');
  const { name, inputs = {}, outputs = {}, runs } = doc;
  if (typeof name !== 'string') throw new Error('action.yml: `name` must be a string');
  if (!isMap(inputs) || !isMap(outputs) || !isMap(runs)) throw new Error('action.yml: `inputs`, `outputs` and `runs` must be maps');
  for (const [k, v] of Object.entries(inputs)) {
    if (!isMap(v) || typeof v.description !== 'string') throw new Error(`action.yml: input \`${k}\` needs a description`);
    if (v.default !== undefined && typeof v.default !== 'string') throw new Error(`action.yml: input \`${k}\` has a default that is not a string`);
  }
  for (const [k, v] of Object.entries(outputs)) if (!isMap(v) || typeof v.description !== 'string') throw new Error(`action.yml: output \`${k}\` needs a description`);
  if (typeof runs.using !== 'string' || typeof runs.main !== 'string') throw new Error('action.yml: `runs.using` and `runs.main` must be strings');
  return {
    name,
    inputs: inputs as Record<string, ActionInputMeta>,
    outputs: outputs as Record<string, { description: string }>,
    runs: { using: runs.using, main: runs.main },
  };
}

/** The variable the runner passes an input in: INPUT_ and the name upper-cased, spaces as `_` (hyphens stay). */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
