// Expressions: GitHub's expression language (@actions/expressions), with pluginops' contexts
// and the status functions. Values are data, never code: there is no eval anywhere.
import { Evaluator, Lexer, Parser, data, type Expr } from '@actions/expressions';
import { ContextAccess, FunctionCall, IndexAccess, Literal } from '@actions/expressions/ast';
import type { FunctionDefinition, FunctionInfo } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { PluginopsError } from '../errors/base.ts';

export const contextNames = ['params', 'env', 'steps', 'execution', 'workflow', 'plugin', 'secrets', 'alert', 'risk'] as const;
export type ContextName = (typeof contextNames)[number];
export type ExpressionContext = Partial<Record<ContextName, unknown>>;

export type StatusName = 'success' | 'failure' | 'always' | 'cancelled';
export type StatusFunctions = Record<StatusName, () => boolean>;
const statusNames: readonly StatusName[] = ['success', 'failure', 'always', 'cancelled'];
const statusInfo: FunctionInfo[] = statusNames.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));

export class ExpressionSyntaxError extends PluginopsError {
  readonly code = 'E_EXPRESSION';
  readonly kind = 'invalid';
  constructor(message: string, readonly column: number) { super(message); }
}

export interface Compiled {
  source: string;
  ast: Expr;
}

const errorText = (msg: string) => msg.replace(/^Unrecognized named-value: '(.*)'.*/, (_m, name: string) =>
  `unknown name \`${name}\`; expected a context (${contextNames.join(', ')}) or a literal`);

const cache = new Map<string, Compiled>();

/** Parses an expression (memoised: the same text is parsed once). */
export function compile(source: string): Compiled {
  const hit = cache.get(source);
  if (hit) return hit;
  const compiled = parse(source);
  if (cache.size > 5_000) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

function parse(source: string): Compiled {
  try {
    const tokens = new Lexer(source).lex().tokens;
    const ast = new Parser(tokens, [...contextNames], statusInfo).parse() as Expr | undefined;
    if (!ast) throw new ExpressionSyntaxError('the expression is empty; expected something to evaluate, such as params.target == \'production\'', 0);
    return { source, ast };
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) throw e;
    const pos = (e as { pos?: { column: number } }).pos;
    throw new ExpressionSyntaxError(errorText(e instanceof Error ? e.message : String(e)), pos?.column ?? 0);
  }
}

/**
 * Parses an expression whose names are `contexts` instead of pluginops' contexts (health-check
 * fields such as `status` or `exitCode`); no status functions. Evaluate it with a context that
 * has every one of those names as a key (null when there is no value).
 */
export function compileWithContexts(source: string, contexts: readonly string[]): Compiled {
  try {
    const tokens = new Lexer(source).lex().tokens;
    const ast = new Parser(tokens, [...contexts], []).parse() as Expr | undefined;
    if (!ast) throw new ExpressionSyntaxError(`the expression is empty; expected something to evaluate, such as ${contexts[0] ?? 'true'} == …`, 0);
    return { source, ast };
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) throw e;
    const pos = (e as { pos?: { column: number } }).pos;
    const msg = (e instanceof Error ? e.message : String(e)).replace(/^Unrecognized named-value: '(.*)'.*/, (_m, name: string) =>
      `unknown name \`${name}\`; expected one of ${contexts.join(', ')} or a literal`);
    throw new ExpressionSyntaxError(msg, pos?.column ?? 0);
  }
}

/** Whether the expression calls success(), failure(), always() or cancelled(). */
export function usesStatusFunction(c: Compiled): boolean {
  return walk(c.ast).some((n) => n instanceof FunctionCall && statusNames.includes(n.functionName.lexeme.toLowerCase() as StatusName));
}

/** `steps.<id>…` references in an expression, with the output name when one is read. */
export function stepReferences(c: Compiled): Array<{ step: string; output?: string }> {
  const refs: Array<{ step: string; output?: string }> = [];
  for (const step of contextKeys(c, 'steps')) refs.push({ step });
  for (const n of walk(c.ast)) {
    if (!(n instanceof IndexAccess) || !(n.expr instanceof IndexAccess)) continue;
    const inner = n.expr;
    if (!(inner.expr instanceof IndexAccess) || !isContext(inner.expr.expr, 'steps')) continue;
    const step = literalString(inner.expr.index);
    const output = literalString(n.index);
    if (step !== undefined && literalString(inner.index) === 'outputs' && output !== undefined) {
      const ref = refs.find((r) => r.step === step && r.output === undefined);
      if (ref) ref.output = output; else refs.push({ step, output });
    }
  }
  return refs;
}

/** Keys read directly from a context, e.g. `params.target` → `target`. */
export function contextKeys(c: Compiled, context: ContextName): string[] {
  const keys = new Set<string>();
  for (const n of walk(c.ast)) {
    if (!(n instanceof IndexAccess) || !isContext(n.expr, context)) continue;
    const key = literalString(n.index);
    if (key !== undefined) keys.add(key);
  }
  return [...keys];
}

export function evaluate(c: Compiled, context: ExpressionContext, status?: StatusFunctions): unknown {
  return toPlain(evaluateData(c, context, status));
}

export function evaluateCondition(c: Compiled, context: ExpressionContext, status: StatusFunctions): boolean {
  const result = evaluateData(c, context, status);
  return usesStatusFunction(c) ? truthy(result) : status.success() && truthy(result);
}

function evaluateData(c: Compiled, context: ExpressionContext, status?: StatusFunctions): data.ExpressionData {
  const dict = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  const functions = new Map<string, FunctionDefinition>(statusNames.map((name) => [name, {
    name, minArgs: 0, maxArgs: 0,
    call: () => new data.BooleanData(status ? status[name]() : name === 'always'),
  }]));
  return new Evaluator(c.ast, dict, functions).evaluate();
}

function toPlain(d: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(d, data.replacer) ?? 'null');
}

function* children(n: Expr): Generator<Expr> {
  const o = n as unknown as Record<string, unknown>;
  for (const v of Object.values(o)) {
    if (Array.isArray(v)) for (const x of v) { if (isExpr(x)) yield x; }
    else if (isExpr(v)) yield v;
  }
}
const isExpr = (x: unknown): x is Expr => typeof x === 'object' && x !== null && typeof (x as { accept?: unknown }).accept === 'function';
function walk(n: Expr): Expr[] {
  return [n, ...[...children(n)].flatMap(walk)];
}
const isContext = (n: Expr, name: string) => n instanceof ContextAccess && n.name.lexeme.toLowerCase() === name;
const literalString = (n: Expr): string | undefined => {
  if (n instanceof Literal && n.literal.kind === data.Kind.String) return n.literal.coerceString();
  return undefined;
};
