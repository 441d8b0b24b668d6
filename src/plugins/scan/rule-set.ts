// The rules a scan uses: the shipped defaults, then each extra file in order (a rule with an id
// seen before replaces it), minus the disabled ids.
import { join } from 'node:path';
import type { Diagnostic } from '../../documents/diagnostics.ts';
import { packageRoot } from '../../documents/package-root.ts';
import { cmp } from './finding.ts';
import { RuleFileError, readRuleFile, type CompiledRule } from './rule-file.ts';

export interface RuleSet {
  /** Sorted by id. */
  rules: CompiledRule[];
  /** Ids in `disable` that no rule has (likely typos). */
  unknownDisabled: string[];
}

/** The rule file shipped with pluginops. */
export const defaultRulesFile = (): string => join(packageRoot(), 'rules', 'security.yml');

/** Later layers replace rules of earlier ones by id; `disable` removes ids. */
export function mergeRules(layers: ReadonlyArray<readonly CompiledRule[]>, disable: readonly string[] = []): RuleSet {
  const byId = new Map<string, CompiledRule>();
  for (const layer of layers) for (const rule of layer) byId.set(rule.id, rule);
  const unknownDisabled = [...new Set(disable)].filter((id) => !byId.has(id));
  for (const id of disable) byId.delete(id);
  return { rules: [...byId.values()].sort((a, b) => cmp(a.id, b.id)), unknownDisabled };
}

export interface RuleSetOptions {
  /** Absolute paths of extra rule files, in order. */
  files?: readonly string[];
  disable?: readonly string[];
  /** The default rule file (tests may point elsewhere); `false` leaves the defaults out. */
  defaults?: string | false;
  /** How a rule file is named in diagnostics. */
  display?: (path: string) => string;
}

/** Loads the defaults and the extra files; throws one RuleFileError with every file's problems. */
export async function loadRuleSet(o: RuleSetOptions = {}): Promise<RuleSet> {
  const defaults = o.defaults === undefined ? defaultRulesFile() : o.defaults;
  const files = [...(defaults === false ? [] : [defaults]), ...(o.files ?? [])];
  const display = o.display ?? ((p: string) => p);
  const layers: CompiledRule[][] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    try {
      layers.push(await readRuleFile(file, display(file)));
    } catch (e) {
      if (!(e instanceof RuleFileError)) throw e;
      diagnostics.push(...e.diagnostics);
    }
  }
  if (diagnostics.length > 0) throw new RuleFileError(diagnostics);
  return mergeRules(layers, o.disable);
}
