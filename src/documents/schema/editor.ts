// What editors read. The published JSON Schemas are rendered from the same sources as the run-time
// ones, with what the loader checks in code said in schema terms, so that an editor running the
// YAML language server checks and completes as the loader does:
// - `uses:` is the closed list of step types, each with its description;
// - `with:` follows the chosen type's input schema (one `if`/`then` per type), and, like the
//   loader, accepts a `${{ }}` expression wherever a value is only known at run time;
// - `errorMessage` (ajv's friendly sentence) sits only on nodes that check one thing: the YAML
//   language server shows it in place of EVERY message of the node it sits on, so on a step it
//   would turn "Property colour is not allowed" into a sentence about `uses` and `run`.
import type { TSchema } from '@sinclair/typebox';

export type JsonSchema = { [key: string]: unknown };

/** A step type as the editor schemas need it: what it does and what its `with:` takes. */
export interface StepTypeInfo {
  description: string;
  inputs: TSchema;
}

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
const plain = (schema: TSchema): JsonSchema => JSON.parse(JSON.stringify(schema)) as JsonSchema;
const mapValues = (o: JsonSchema, f: (v: unknown) => unknown): JsonSchema =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** A value the loader leaves to run time: any string holding `${{`. Kept once, under `$defs`. */
export const expressionDef: JsonSchema = {
  type: 'string',
  pattern: '\\$\\{\\{',
  description: 'A `${{ }}` expression; its value is checked when the step runs.',
};
const expression: JsonSchema = { $ref: '#/$defs/expression' };

/** Keywords that make a string schema refuse some strings. */
const stringLimits = ['pattern', 'format', 'enum', 'const', 'minLength', 'maxLength', 'not', 'allOf', 'oneOf', 'if'];

/** Whether a schema already takes every string (so an expression too). */
function takesAnyString(s: JsonSchema): boolean {
  if (Array.isArray(s.anyOf)) return s.anyOf.some((b) => isSchema(b) && takesAnyString(b));
  if (stringLimits.some((k) => k in s)) return false;
  return s.type === undefined || s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));
}

/**
 * The children of a schema made to accept expressions; the node itself is left as it is. Like the
 * loader, which reports a union as a whole, the inside of a union's branches is left strict: an
 * expression may stand for the whole union's value only.
 */
function descend(s: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...s };
  if (isSchema(s.properties)) out.properties = mapValues(s.properties, (v) => (isSchema(v) ? acceptExpressions(v) : v));
  if (isSchema(s.additionalProperties)) out.additionalProperties = acceptExpressions(s.additionalProperties);
  if (isSchema(s.items)) out.items = acceptExpressions(s.items);
  return out;
}

/**
 * A step input schema that also takes a `${{ }}` expression at every place: the loader leaves
 * such values to run time, so an editor must not flag them.
 */
export function acceptExpressions(schema: JsonSchema): JsonSchema {
  const s = descend(schema);
  if (takesAnyString(s)) return s;
  const { description, ...rest } = s;
  const keys = Object.keys(rest);
  if (keys.length === 1 && Array.isArray(rest.anyOf)) return { ...s, anyOf: [...rest.anyOf, expression] };
  return { ...(description === undefined ? {} : { description }), anyOf: [s, expression] };
}

const bullet = (names: string[]) => names.map((n) => `\`${n}\``).join(', ');

/** The completion text of one step type: its description and its inputs. */
function stepDoc(info: StepTypeInfo): string {
  const inputs = plain(info.inputs);
  const names = Object.keys(isSchema(inputs.properties) ? inputs.properties : {});
  const required = Array.isArray(inputs.required) ? inputs.required.map(String) : [];
  const lines = [info.description];
  if (names.length) lines.push(`Inputs (\`with:\`): ${bullet(names)}${required.length ? `; required: ${bullet(required)}` : ''}.`);
  return lines.join('\n\n');
}

/** `with:` of a step whose `uses:` is `kind` follows that kind's input schema. */
function withFor(kind: string, info: StepTypeInfo): JsonSchema {
  // `with:` itself must be a map (the step's structure says so); its values may be expressions.
  const inputs = descend(plain(info.inputs));
  const needsWith = Array.isArray(inputs.required) && inputs.required.length > 0;
  return {
    if: { properties: { uses: { const: kind } }, required: ['uses'] },
    then: { properties: { with: { description: `Inputs of \`${kind}\`: ${info.description}`, ...inputs } }, ...(needsWith ? { required: ['with'] } : {}) },
  };
}

/** A run step's values reach its script through `env:`; its `then` checks nothing else, so the sentence fits. */
const runTakesNoWith: JsonSchema = {
  if: { required: ['run'] },
  then: { properties: { with: false }, errorMessage: 'a `run` step takes no `with:`; use `env:` for values the script reads' },
};

/**
 * The step schema editors read: `uses` as an enum described per type, `with` checked per type.
 * `steps` holds the kinds written `uses:` (the `run` kind is written `run:`). The schema document
 * that holds it needs `expressionDef` under `$defs.expression`.
 */
export function editorStep(step: TSchema, steps: Record<string, StepTypeInfo>): JsonSchema {
  const base = plain(step);
  const properties = isSchema(base.properties) ? base.properties : {};
  const uses = isSchema(properties.uses) ? properties.uses : {};
  const kinds = Object.keys(steps);
  return {
    ...base,
    properties: {
      ...properties,
      uses: {
        ...uses, type: 'string', enum: kinds,
        enumDescriptions: kinds.map((k) => steps[k]!.description),
        markdownEnumDescriptions: kinds.map((k) => stepDoc(steps[k]!)),
      },
    },
    allOf: [...kinds.map((k) => withFor(k, steps[k]!)), runTakesNoWith],
  };
}

/**
 * Whether a node checks one thing only, so that a sentence standing in for its messages is right:
 * keys it requires, or keys it forbids (`properties` whose schemas are all `false`).
 */
function checksOneThing(node: JsonSchema): boolean {
  const checks = Object.keys(node).filter((k) => k !== 'errorMessage' && k !== 'description');
  if (checks.length !== 1) return false;
  const props = node.properties;
  return checks[0] === 'required' || (isSchema(props) && Object.values(props).every((v) => v === false));
}

/**
 * Leaves each `errorMessage` only where an editor shows it for the failure it describes: on nodes
 * that check one thing. A sentence on a node with a `oneOf` of such nodes moves onto them
 * ("missing `uses`" becomes the sentence); any other is dropped.
 */
export function placeErrorMessages(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(placeErrorMessages);
  if (!isSchema(node)) return node;
  const { errorMessage, ...rest } = node;
  const out = mapValues(rest, placeErrorMessages);
  if (typeof errorMessage !== 'string') return out;
  if (checksOneThing(node)) return { ...out, errorMessage };
  const branches = out.oneOf;
  if (Array.isArray(branches) && branches.every((b) => isSchema(b) && checksOneThing(b))) {
    out.oneOf = branches.map((b: unknown) => ({ ...(isSchema(b) ? b : {}), errorMessage }));
  }
  return out;
}
