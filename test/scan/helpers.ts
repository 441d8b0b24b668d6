// Shared fixtures for the scan tests: plugin trees in temp dirs, the default rules loaded once,
// a fake Spawner that plays back canned tool output, and a hand-built StepContext.
import type { Static } from '@sinclair/typebox';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock } from '../../src/engine/clock.ts';
import { SpawnError, type SpawnRequest, type SpawnResult, type Spawner } from '../../src/engine/process/spawn.ts';
import type { ProjectDoc } from '../../src/documents/schema/index.ts';
import type { FileLanguage } from '../../src/plugins/scan/comments.ts';
import type { CompiledRule } from '../../src/plugins/scan/rule-file.ts';
import { loadRuleSet } from '../../src/plugins/scan/rule-set.ts';
import { scanFile, scanPlugin, type ScanOptions, type ScanResult } from '../../src/plugins/scan/scan.ts';
import type { LogLevel } from '../../src/store/types.ts';
import { SecurityScanInputs } from '../../src/steps/plugin-security-scan/index.ts';
import { emptyScope, type StepContext } from '../../src/engine/step.ts';

// ---------------------------------------------------------------- temp trees

const made: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-scan-'));
  made.push(dir);
  return dir;
}

/** Writes `files` (relative path → content) under `root` (a fresh temp dir by default). */
export function tempTree(files: Record<string, string | Buffer>, root = tempDir()): string {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/** For `test.after`. */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A text from its lines: line N of the file is the N-th argument. */
export const lines = (...ls: string[]): string => ls.join('\n') + '\n';

// ---------------------------------------------------------------- fake secrets (built, so this file holds none)

export const fakeSecrets = {
  aws: 'AKIA' + 'Q7ZX3M2P9WLRT4VB',
  github: 'ghp' + '_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  slack: 'xoxb' + '-' + '1234567890-0987654321-AbCdEfGhIjKl',
  privateKey: '-----BEGIN ' + 'RSA PRIVATE KEY-----',
} as const;

// ---------------------------------------------------------------- rules and scans

let defaults: CompiledRule[] | undefined;

export async function defaultRules(): Promise<CompiledRule[]> {
  defaults ??= (await loadRuleSet()).rules;
  return defaults;
}

/** Findings of one text as file `file`, with the default rules. */
export async function scanText(file: string, text: string, language: FileLanguage) {
  return scanFile(file, text, language, await defaultRules());
}

export async function scanTree(files: Record<string, string | Buffer>, o: Partial<ScanOptions> = {}): Promise<ScanResult & { root: string }> {
  const root = tempTree(files);
  const result = await scanPlugin({ root, rules: o.rules ?? await defaultRules(), ...o });
  return { ...result, root };
}

/** `rule@file:line:col` for compact comparisons. */
export const where = (f: { ruleId: string; file: string; line: number; col: number }): string => `${f.ruleId}@${f.file}:${f.line}:${f.col}`;

// ---------------------------------------------------------------- a fake Spawner

export interface Canned {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Throw instead of running, as the real spawner does when the program cannot start. */
  fail?: boolean;
}

/** Plays back canned output per program (matched by the command's base name) and records each request. */
export class FakeSpawner {
  readonly requests: SpawnRequest[] = [];
  constructor(private readonly canned: Record<string, Canned>) {}

  readonly spawn: Spawner = async (req): Promise<SpawnResult> => {
    this.requests.push(req);
    const c = this.canned[req.command.split('/').pop() ?? ''];
    if (!c || c.fail) throw new SpawnError(`could not start ${req.command}: ENOENT`);
    for (const l of (c.stdout ?? '').split('\n')) req.onLine('stdout', l);
    for (const l of (c.stderr ?? '').split('\n').filter(Boolean)) req.onLine('stderr', l);
    return { exitCode: c.exitCode ?? 0, signal: null };
  };
}

/** A directory holding executable stubs named `programs`, to put on PATH. */
export function binDir(...programs: string[]): string {
  const dir = tempDir();
  for (const p of programs) {
    writeFileSync(join(dir, p), '#!/bin/sh\nexit 99\n');
    chmodSync(join(dir, p), 0o755);
  }
  return dir;
}

export const banditJson = (results: Array<Record<string, unknown>>): string =>
  JSON.stringify({ errors: [], generated_at: '2026-01-01T00:00:00Z', metrics: {}, results }, null, 2);

// ---------------------------------------------------------------- a StepContext by hand

type Inputs = Static<typeof SecurityScanInputs>;

export interface Harness {
  ctx: StepContext<Inputs>;
  logs: Array<{ level: LogLevel; message: string }>;
  outputs: Record<string, string>;
  artifacts: Array<{ name: string; path: string; size?: number }>;
}

export function stepContext(o: {
  inputs?: Inputs;
  workspace: string;
  plugin?: string;
  projectRoot?: string;
  security?: ProjectDoc['security'];
  spawn?: Spawner;
  env?: Record<string, string>;
}): Harness {
  const logs: Harness['logs'] = [];
  const outputs: Record<string, string> = {};
  const artifacts: Harness['artifacts'] = [];
  const scope = emptyScope(o.projectRoot ?? o.workspace);
  if (o.plugin) scope.plugin = o.plugin;
  if (o.security) scope.project.config = { ...scope.project.config, security: o.security };
  const ctx: StepContext<Inputs> = {
    executionId: 'exec-1', stepId: 'scan', inputs: o.inputs ?? {}, env: o.env ?? { PATH: '' },
    workspace: o.workspace, signal: new AbortController().signal, attempt: 1,
    edges: { clock: systemClock, spawn: o.spawn ?? new FakeSpawner({}).spawn, fetch: globalThis.fetch, killGraceMs: 100, approvals: { request: () => Promise.reject(new Error('the scan step asks for no approval')) } },
    scope,
    log: (message, level = 'info') => { logs.push({ level, message }); },
    setOutput: (name, value) => { outputs[name] = value; },
    addArtifact: (a) => { artifacts.push({ name: a.name, path: a.path, ...(a.size === undefined ? {} : { size: a.size }) }); },
    scratchDir: async () => tempDir(),
    workflow: { id: 'wf', name: 'wf' },
  };
  return { ctx, logs, outputs, artifacts };
}
