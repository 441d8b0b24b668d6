// The cyclomatic complexity of JavaScript functions: acorn parses (as a module, else as a
// script), and one iterative walk gives every function 1 + its own decision points; a nested
// function's points are its own. Pure: sources in, measures out.
import { parse, type AnyNode, type Options } from 'acorn';
import type { FunctionComplexity } from '../../store/risk.ts';
import { maxFunctions } from './limits.ts';
import { admit, mostComplex, touches, type Measured, type SourceFile } from './measure.ts';

/** A function as found, before it is placed in a file. */
export interface FoundFunction { name: string; line: number; endLine: number; complexity: number }

export function measureJavaScript(files: readonly SourceFile[]): Measured {
  const { measurable, unmeasured } = admit(files);
  const functions: FunctionComplexity[] = [];
  for (const f of measurable) {
    const parsed = parseProgram(f.text);
    if ('reason' in parsed) { unmeasured.push({ file: f.file, reason: parsed.reason }); continue; }
    const found = functionsOf(parsed.program)
      .filter((fn) => !f.changed || touches(f.changed, fn.line, fn.endLine))
      .map((fn): FunctionComplexity => ({ file: f.file, ...fn, language: 'javascript' }));
    functions.push(...mostComplex(found, maxFunctions));
  }
  return { functions, unmeasured };
}

const options = { ecmaVersion: 'latest', allowHashBang: true, locations: true } satisfies Options;

/** The program, or why it could not be parsed (the error of the attempt that got further). */
export function parseProgram(text: string): { program: AnyNode } | { reason: string } {
  let first: unknown;
  try { return { program: parse(text, { ...options, sourceType: 'module' }) }; } catch (e) { first = e; }
  try {
    return { program: parse(text, { ...options, sourceType: 'script', allowReturnOutsideFunction: true }) };
  } catch (second) {
    return { reason: reasonOf(positionOf(second) > positionOf(first) ? second : first) };
  }
}

function positionOf(e: unknown): number {
  return typeof e === 'object' && e !== null && 'pos' in e && typeof e.pos === 'number' ? e.pos : -1;
}

function reasonOf(e: unknown): string {
  if (e instanceof RangeError) return 'too deeply nested to parse';
  if (!(e instanceof SyntaxError)) return `could not parse: ${e instanceof Error ? e.message : String(e)}`;
  const loc = 'loc' in e && typeof e.loc === 'object' && e.loc !== null && 'line' in e.loc ? e.loc.line : undefined;
  const message = e.message.replace(/\s*\(\d+:\d+\)$/, '');
  return typeof loc === 'number' ? `syntax error at line ${loc}: ${message}` : `syntax error: ${message}`;
}

type FunctionNode = Extract<AnyNode, { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' }>;
type ClassNode = Extract<AnyNode, { type: 'ClassDeclaration' | 'ClassExpression' }>;

interface Frame {
  node: AnyNode;
  /** Enclosing functions' and classes' names. */
  scope: string[];
  /** The function whose decision points this node adds to; none at the top level. */
  owner?: FoundFunction;
  /** The name the parent gives this node (a method's key, a variable's name). */
  name?: string;
}

/** Every function in the program, in no particular order. */
export function functionsOf(program: AnyNode): FoundFunction[] {
  const found: FoundFunction[] = [];
  const stack: Frame[] = [{ node: program, scope: [] }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const { node, scope, owner } = frame;
    if (isFunction(node)) {
      const own = frame.name ?? (node.type !== 'ArrowFunctionExpression' && node.id ? node.id.name : '<anonymous>');
      const inner = [...scope, own];
      const fn = { name: inner.join('.'), line: node.loc?.start.line ?? 1, endLine: node.loc?.end.line ?? 1, complexity: 1 };
      found.push(fn);
      for (const param of node.params) stack.push({ node: param, scope: inner, owner: fn });
      stack.push({ node: node.body, scope: inner, owner: fn });
      continue;
    }
    if (isClass(node)) {
      const inner = [...scope, frame.name ?? node.id?.name ?? '<anonymous>'];
      if (node.superClass) stack.push({ node: node.superClass, scope, owner });
      stack.push({ node: node.body, scope: inner, owner });
      continue;
    }
    if (owner) owner.complexity += decisions(node);
    for (const child of childrenOf(node)) stack.push({ node: child, scope, owner, name: nameFor(node, child) });
  }
  return found;
}

const isFunction = (n: AnyNode): n is FunctionNode =>
  n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
const isClass = (n: AnyNode): n is ClassNode => n.type === 'ClassDeclaration' || n.type === 'ClassExpression';

/** The decision points a node adds to the function it is in. Optional chaining adds none. */
function decisions(node: AnyNode): number {
  switch (node.type) {
    case 'IfStatement': case 'ConditionalExpression':
    case 'ForStatement': case 'ForInStatement': case 'ForOfStatement':
    case 'WhileStatement': case 'DoWhileStatement':
    case 'CatchClause': case 'LogicalExpression':
      return 1;
    case 'SwitchCase': return node.test ? 1 : 0;
    case 'AssignmentExpression': return node.operator === '&&=' || node.operator === '||=' || node.operator === '??=' ? 1 : 0;
    default: return 0;
  }
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && 'type' in v && typeof v.type === 'string';
}

/** The child nodes, whatever the node's type (positions and literal values are not nodes). */
function childrenOf(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    if (Array.isArray(value)) { for (const item of value) if (isNode(item)) children.push(item); } else if (isNode(value)) children.push(value);
  }
  return children;
}

/** The name a parent gives a function or class child: a method's key, a variable's or an assignment's target. */
function nameFor(parent: AnyNode, child: AnyNode): string | undefined {
  switch (parent.type) {
    case 'MethodDefinition': case 'Property': case 'PropertyDefinition':
      return child === parent.value && (isFunction(child) || isClass(child)) ? keyName(parent.key, parent.computed) : undefined;
    case 'VariableDeclarator':
      return child === parent.init && parent.id.type === 'Identifier' && unnamed(child) ? parent.id.name : undefined;
    case 'AssignmentExpression':
      return child === parent.right && unnamed(child) ? targetName(parent.left) : undefined;
    default:
      return undefined;
  }
}

const unnamed = (n: AnyNode) => n.type === 'ArrowFunctionExpression' || ((n.type === 'FunctionExpression' || n.type === 'ClassExpression') && !n.id);

function keyName(key: AnyNode, computed: boolean): string {
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  if (key.type === 'Identifier' && !computed) return key.name;
  if (key.type === 'Literal' && key.value !== null && typeof key.value !== 'object') return String(key.value);
  return '<computed>';
}

function targetName(target: AnyNode): string | undefined {
  if (target.type === 'Identifier') return target.name;
  if (target.type === 'MemberExpression') return keyName(target.property, target.computed);
  return undefined;
}
