// The rule file (YAML): a list of rules, each a regular expression applied line by line to the
// files of the languages it names. The schema is the single source of structure; the types come
// from it.
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../documents/schema/common.ts';
import { Severity } from '../../documents/schema/project.ts';

export const ruleLanguages = ['python', 'javascript', 'typescript', 'any'] as const;
export type RuleLanguage = (typeof ruleLanguages)[number];

export const ruleCategories = ['code', 'secret'] as const;
export type RuleCategory = (typeof ruleCategories)[number];

const Regex = Type.String({ minLength: 1, description: 'A JavaScript regular expression source, applied to one line at a time.' });

export const Rule = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,99}$', description: 'Letters, digits, `_`, `.` and `-`, starting with a letter.' }),
  severity: Severity,
  languages: Type.Array(StringEnum(ruleLanguages), { minItems: 1, uniqueItems: true, description: 'The languages whose files the rule reads; `any` reads every file.' }),
  category: Type.Optional(StringEnum(ruleCategories, '`code` (default) ignores matches inside comments; `secret` matches anywhere.')),
  pattern: Type.Optional(Regex),
  patterns: Type.Optional(Type.Array(Regex, { minItems: 1, description: 'Several expressions; a line matches when any of them does.' })),
  notPattern: Type.Optional(Type.String({ minLength: 1, description: 'A match is dropped when this expression matches the same line.' })),
  flags: Type.Optional(Type.String({ pattern: '^[imsu]*$', description: 'Regular expression flags: any of i, m, s and u.' })),
  message: Type.String({ minLength: 1 }),
  fix: Type.String({ minLength: 1, description: 'How to fix it, in a sentence.' }),
  cwe: Type.Optional(Type.String({ pattern: '^CWE-[1-9][0-9]*$', description: 'A CWE id such as CWE-95.' })),
}, { additionalProperties: false });

export const RuleFile = Type.Object({
  rules: Type.Array(Rule, { description: 'The rules this file adds; a rule with the id of an earlier one replaces it.' }),
}, { additionalProperties: false, description: 'A pluginops security rule file.' });

export type RuleDoc = Static<typeof Rule>;
export type RuleFileDoc = Static<typeof RuleFile>;
