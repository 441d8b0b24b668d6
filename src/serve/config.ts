// Loading what `serve` runs — the project file, its documents and the monitor configuration —
// as one value, and explaining a failure as lines (file:line:col for documents), so a reload can
// log why an edit was refused and keep the configuration that works.
import { formatDiagnostic, InvalidDocumentsError } from '../documents/diagnostics.ts';
import { loadMonitorConfig } from '../monitor/engine/load.ts';
import { MonitorConfigError, type MonitorConfig } from '../monitor/engine/config.ts';
import { loadProject, type Project } from '../project/load.ts';

export interface Loaded {
  project: Project;
  monitor: MonitorConfig;
  loadedAt: number;
}

export async function loadServeConfig(cwd: string, configPath: string | undefined, env: Readonly<Record<string, string | undefined>>, now: number): Promise<Loaded> {
  const project = await loadProject(cwd, configPath);
  const monitor = await loadMonitorConfig(project, cwd, env);
  return { project, monitor, loadedAt: now };
}

/** Why a configuration did not load, one line per problem. */
export function problemLines(e: unknown): string[] {
  if (e instanceof InvalidDocumentsError) return e.diagnostics.map(formatDiagnostic);
  if (e instanceof MonitorConfigError) return e.problems;
  return [e instanceof Error ? e.message : String(e)];
}
