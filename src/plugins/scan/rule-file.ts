// Reading one rule file: YAML with positions, the schema (ajv), then the checks a schema cannot
// express (an expression that compiles, `pattern` or `patterns`, ids unique). Every problem is a
// diagnostic at file:line:col.
import { readFile } from 'node:fs/promises';
import { formatDiagnostic, type Diagnostic } from '../../documents/diagnostics.ts';
import { checkSchema, label } from '../../documents/schema-check.ts';
import { locate, parseYaml, type Path, type SourceDocument } from '../../documents/source.ts';
import type { RuleInfo } from './finding.ts';
import { RuleFile, type RuleCategory, type RuleDoc, type RuleFileDoc, type RuleLanguage } from './rule-schema.ts';
import { suppressionRule } from './suppression.ts';
import { PluginopsError } from '../../errors/base.ts';

export interface CompiledRule extends RuleInfo {
  languages: ReadonlySet<RuleLanguage>;
  category: RuleCategory;
  patterns: readonly RegExp[];
  notPattern?: RegExp;
  /** The file the rule came from, as shown in diagnostics. */
  origin: string;
}

/** Thrown when rule files do not load; carries every diagnostic. */
export class RuleFileError extends PluginopsError {
  readonly code = 'E_RULE_FILE';
  readonly kind = 'invalid';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`invalid security rules: ${diagnostics.map(formatDiagnostic).join('; ')}`);
  }
}

export interface ParsedRules {
  rules: CompiledRule[];
  diagnostics: Diagnostic[];
}

/** Parses and checks the text of a rule file named `file` (the name diagnostics show). */
export function parseRuleFile(file: string, text: string): ParsedRules {
  const parsed = parseYaml(file, text);
  const diagnostics = [...parsed.diagnostics];
  const rules: CompiledRule[] = [];
  if (parsed.documents.length === 0 && diagnostics.length === 0) {
    diagnostics.push({ file, line: 1, col: 1, code: 'E_REQUIRED', message: 'the rule file is empty; expected a map with `rules:`' });
  }
  for (const src of parsed.documents) {
    const problems = checkSchema(src, src.value, RuleFile, [], 'rule file');
    if (problems.length > 0) { diagnostics.push(...problems); continue; }
    const doc = src.value as RuleFileDoc;
    const seen = new Set<string>();
    doc.rules.forEach((rule, i) => {
      const at = (path: Path) => ({ file, ...locate(src, ['rules', i, ...path]) });
      if (seen.has(rule.id)) diagnostics.push({ ...at(['id']), code: 'E_DUPLICATE_ID', message: `rule id \`${rule.id}\` is used twice in this file; expected each id once` });
      seen.add(rule.id);
      if (rule.id === suppressionRule.id) diagnostics.push({ ...at(['id']), code: 'E_VALUE', message: `rule id \`${rule.id}\` is built in; expected another id` });
      const compiled = compileRule(src, rule, i);
      if (Array.isArray(compiled)) diagnostics.push(...compiled);
      else rules.push(compiled);
    });
  }
  return { rules: diagnostics.length > 0 ? [] : rules, diagnostics };
}

/** Reads a rule file; `display` is the name its diagnostics show. Throws RuleFileError. */
export async function readRuleFile(path: string, display = path): Promise<CompiledRule[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RuleFileError([{ file: display, line: 1, col: 1, code: missing ? 'E_FILE_NOT_FOUND' : 'E_FILE_UNREADABLE', message: missing ? 'the rule file does not exist' : `cannot read the rule file: ${(e as Error).message}` }]);
  }
  const { rules, diagnostics } = parseRuleFile(display, text);
  if (diagnostics.length > 0) throw new RuleFileError(diagnostics);
  return rules;
}

function compileRule(src: SourceDocument, rule: RuleDoc, index: number): CompiledRule | Diagnostic[] {
  const problems: Diagnostic[] = [];
  const flags = rule.flags ?? '';
  const compile = (source: string, path: Path): RegExp | undefined => {
    try {
      return new RegExp(source, flags);
    } catch (e) {
      const full: Path = ['rules', index, ...path];
      problems.push({ file: src.file, ...locate(src, full), code: 'E_VALUE', message: `\`${label(full, 'rule file')}\` is not a valid regular expression (${(e as Error).message}); expected a JavaScript regular expression source` });
      return undefined;
    }
  };
  const sources: Array<[string, Path]> = [
    ...(rule.pattern === undefined ? [] : [[rule.pattern, ['pattern']] satisfies [string, Path]]),
    ...(rule.patterns ?? []).map((p, i): [string, Path] => [p, ['patterns', i]]),
  ];
  if (sources.length === 0) {
    problems.push({ file: src.file, ...locate(src, ['rules', index], 'value'), code: 'E_REQUIRED', message: `rule \`${rule.id}\` has neither \`pattern\` nor \`patterns\`; expected one of them` });
  }
  const patterns = sources.map(([s, p]) => compile(s, p)).filter((r): r is RegExp => r !== undefined);
  const notPattern = rule.notPattern === undefined ? undefined : compile(rule.notPattern, ['notPattern']);
  if (problems.length > 0) return problems;
  return {
    id: rule.id, severity: rule.severity, message: rule.message, fix: rule.fix,
    ...(rule.cwe ? { cwe: rule.cwe } : {}),
    languages: new Set(rule.languages), category: rule.category ?? 'code',
    patterns, ...(notPattern ? { notPattern } : {}), origin: src.file,
  };
}
