// Runs the external scanners that are available: bandit whenever it is on PATH, semgrep when it
// is on PATH and a local config was given. A missing tool is skipped with a log line; a tool that
// fails or prints something unreadable is a warning, never a failed scan.
import { existsSync } from 'node:fs';
import { banditArgs, parseBandit } from './bandit.ts';
import { parseSemgrep, semgrepArgs } from './semgrep.ts';
import type { ExternalHit, ExternalOptions, OutputParser, ScanLog } from './types.ts';

interface Tool {
  program: 'bandit' | 'semgrep';
  /** The arguments, or why the tool is not run. */
  args(root: string, o: ExternalOptions): { args: string[] } | { skip: string; level: 'debug' | 'info' | 'warn' };
  parse: OutputParser;
}

const tools: readonly Tool[] = [
  { program: 'bandit', args: (root) => ({ args: banditArgs(root) }), parse: parseBandit },
  {
    program: 'semgrep',
    args: (root, o) => {
      if (!o.semgrepConfig) return { skip: 'semgrep: not run (no `semgrepConfig`; without network it needs a local config)', level: 'debug' };
      if (!existsSync(o.semgrepConfig)) return { skip: `semgrep: the config ${o.semgrepConfig} does not exist; skipped`, level: 'warn' };
      return { args: semgrepArgs(root, o.semgrepConfig) };
    },
    parse: parseSemgrep,
  },
];

export async function runExternalScanners(root: string, o: ExternalOptions, log: ScanLog): Promise<ExternalHit[]> {
  const hits: ExternalHit[] = [];
  for (const tool of tools) {
    const planned = tool.args(root, o);
    if ('skip' in planned) { log(planned.skip, planned.level); continue; }
    const command = o.which(tool.program);
    if (!command) { log(`${tool.program} not found on PATH; skipped`, 'debug'); continue; }
    const found = await runOne(tool, command, planned.args, root, o, log);
    if (found) {
      log(`${tool.program}: ${found.length} finding${found.length === 1 ? '' : 's'}`, 'info');
      hits.push(...found);
    }
  }
  return hits;
}

async function runOne(tool: Tool, command: string, args: string[], root: string, o: ExternalOptions, log: ScanLog): Promise<ExternalHit[] | undefined> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exitCode: number | null;
  try {
    ({ exitCode } = await o.spawn({
      command, args, cwd: root, env: o.env, signal: o.signal, killGraceMs: o.killGraceMs,
      onLine: (stream, line) => (stream === 'stdout' ? stdout : stderr).push(line),
    }));
  } catch (e) {
    if (o.signal.aborted) throw e;
    log(`${tool.program} could not run: ${e instanceof Error ? e.message : String(e)}`, 'warn');
    return undefined;
  }
  o.signal.throwIfAborted();
  const parsed = tool.parse(stdout.join('\n'), root);
  if ('problem' in parsed) {
    const hint = stderr.filter((l) => l.trim()).at(-1);
    log(`${tool.program} (exit ${exitCode ?? 'by signal'}): ${parsed.problem}${hint ? `; stderr: ${hint}` : ''}; its results are left out`, 'warn');
    return undefined;
  }
  return parsed.hits;
}
