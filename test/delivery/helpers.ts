// A temp project with copies of the example plugins, and readers for what a deploy leaves.
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { root } from '../cli/helpers.ts';

export { cli, cliProcess } from '../cli/helpers.ts';

export function deliveryProject(...plugins: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-delivery-'));
  for (const p of plugins) cpSync(join(root, 'examples', 'plugins', p), join(dir, 'plugins', p), { recursive: true });
  return dir;
}

export const home = (project: string, plugin: string) => join(project, '.pluginops', 'deployments', plugin);

export function liveRelease(project: string, plugin: string): string | undefined {
  try { return readlinkSync(join(home(project, plugin), 'current')); } catch { return undefined; }
}

/** path → sha256 of every file below `dir` (the content a release serves). */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

export function ledger(project: string, plugin: string): Array<{ action: string; version: string; release: string; previous?: string }> {
  try {
    return readFileSync(join(home(project, plugin), 'ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; version: string; release: string; previous?: string });
  } catch { return []; }
}

export interface Finished { type: string; step?: string; status?: string; error?: string; durationMs?: number; outputs?: Record<string, string> }
export const events = (stdout: string): Finished[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Finished);
export const finished = (evs: Finished[]) => Object.fromEntries(evs.filter((e) => e.type === 'step.finished' || e.type === 'step.skipped').map((e) => [e.step!, e.status!]));
export const stepEvent = (evs: Finished[], step: string) => evs.find((e) => e.type === 'step.finished' && e.step === step);
