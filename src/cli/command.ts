// Commands as values: a name, a usage line, typed options (node:util parseArgs) and a run
// function that receives parsed arguments and a CliContext, and returns an exit code.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliContext } from './context.ts';
import { CliError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

export interface Command<O extends Options = Options> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  run(args: Parsed<O>, ctx: CliContext): Promise<number>;
}

export const defineCommand = <O extends Options>(c: Command<O>): Command<O> => c;

export function parseCommandArgs<O extends Options>(c: Command<O>, argv: string[]): Parsed<O> {
  try {
    return parseArgs({ args: argv, options: c.options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError('E_USAGE', `${(e as Error).message.replace(/\. To specify a positional.*$/s, '')}\nusage: ${c.usage}`);
  }
}

/** `--param key=value` pairs (values parsed later against the declared types). */
export function keyValues(pairs: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError('E_USAGE', `${flag} expects key=value, found "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

export function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError('E_USAGE', `${flag} expects a positive whole number, found "${text}"`);
  return n;
}
