// What the docs test does with each kind of block: which yaml blocks are pluginops documents or
// the project file, and how the commands of a shell block are run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { root } from '../cli/helpers.ts';
import type { Block } from './markdown.ts';
import { pluginops, serve } from './run.ts';
import type { Command } from './shell.ts';

export const documentKinds = ['Workflow', 'ActionPlan', 'HealthCheck', 'AlertRule'] as const;

export type YamlRole = 'document' | 'project' | 'other';

/** A block holding a document of a known kind, the project file (`kind: Project`, or a part of it headed `# pluginops.yml`), or other YAML. */
export function yamlRole(b: Block): YamlRole {
  const kinds = parseAllDocuments(b.body).flatMap((d) => {
    const v = d.toJS() as { kind?: unknown } | null;
    return v && typeof v === 'object' && 'kind' in v ? [String(v.kind)] : [];
  });
  if (kinds.some((k) => (documentKinds as readonly string[]).includes(k))) return 'document';
  if (kinds.includes('Project') || /^# pluginops\.yml\b/.test(b.body.trimStart())) return 'project';
  return 'other';
}

/** A part of the project file made whole: the envelope added when the block leaves it out. */
export function wholeProjectFile(body: string): string {
  return /^kind:\s*Project\b/m.test(body) ? body : `apiVersion: pluginops/v1\nkind: Project\n${body}`;
}

/** Where a command of the docs stands: what it is, and what went wrong running it (undefined: as the docs say). */
export interface Outcome { at: string; command: string; problem?: string }

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const ciRun = readFileSync(join(root, '.ci', 'run'), 'utf8');

/** `npm …` in the docs names the project's own scripts: they must exist, and CI (.ci/run) runs `npm ci` and `npm test`. */
function npmCommand(words: string[]): string | undefined {
  const [, sub, script] = words;
  if (sub === 'ci') return /^npm ci\b/m.test(ciRun) && existsSync(join(root, 'package-lock.json')) ? undefined : '.ci/run does not run npm ci from package-lock.json';
  if (sub === 'test') return pkg.scripts.test && /^npm test$/m.test(ciRun) ? undefined : 'npm test is not the script .ci/run runs';
  if (sub === 'run') return script && pkg.scripts[script] ? undefined : `package.json has no script ${script}`;
  return `npm ${sub} is not a script of this project`;
}

/** Arguments of a documented `serve` made local: port 0 on loopback; an absolute --config becomes a project file in the temp project (with the shipped monitoring examples). */
function localServeArgs(args: string[], cwd: string): string[] {
  const out = args.map((a, i) => {
    if (args[i - 1] === '--port') return '0';
    if (args[i - 1] === '--host') return '127.0.0.1';
    if (args[i - 1] === '--config' && a.startsWith('/')) {
      const file = join(cwd, 'serve-config', basename(a));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, 'apiVersion: pluginops/v1\nkind: Project\ndocuments: [../examples/monitoring/pipelines]\n');
      return file;
    }
    return a;
  });
  return out.includes('--port') ? out : [...out, '--port', '0'];
}

async function newestExecution(cwd: string): Promise<string | undefined> {
  const r = await pluginops(['executions', 'list', '--json', '--limit', '1'], cwd);
  const list = JSON.parse(r.out) as Array<{ id: string }> | { executions?: Array<{ id: string }> };
  return (Array.isArray(list) ? list : list.executions ?? [])[0]?.id;
}

/** Runs one command of a shell block in `cwd`; the outcome says whether it ended as the docs say. */
export async function runCommand(c: Command, file: string, cwd: string): Promise<Outcome> {
  const words = c.words.map((w) => w.text);
  const at = `${file}:${c.line}`;
  const command = words.join(' ');
  if (words[0] === 'npm') return { at, command, problem: npmCommand(words) };
  const args = words[0] === 'npx' && words[1] === 'pluginops' ? words.slice(2) : words[0] === 'pluginops' ? words.slice(1) : undefined;
  if (!args) return { at, command, problem: `not a pluginops or npm command: annotate the block with "no-test: <reason>" or exercise it` };
  if (args[0] === 'serve') {
    const s = await serve(localServeArgs(args.slice(1), cwd), cwd).catch((e: Error) => e);
    if (s instanceof Error) return { at, command, problem: s.message };
    const ready = await fetch(`${s.url}/readyz`).then((r) => r.status, (e: Error) => e.message);
    const code = await s.stop();
    return { at, command, problem: ready === 200 && code === c.exit ? undefined : `readyz ${ready}, exit ${code} after SIGTERM: ${s.log()}` };
  }
  if (args.includes('<id>')) {
    const id = await newestExecution(cwd);
    if (!id) return { at, command, problem: 'no execution to stand for <id>' };
    args.splice(args.indexOf('<id>'), 1, id);
  }
  const r = await pluginops(args, cwd);
  return { at, command, problem: r.code === c.exit ? undefined : `exit ${r.code}, the docs imply ${c.exit}:\n${r.out.slice(-2000)}` };
}
