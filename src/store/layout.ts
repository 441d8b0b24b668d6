// Where the embedded store keeps things, and creating that layout (all or nothing).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError, osReason } from './errors.ts';
import { insideRoot } from './paths.ts';

export interface StoreLayout {
  root: string;
  executions: string;
  logs: string;
  control: string;
}

export function layoutOf(root: string): StoreLayout {
  return { root, executions: join(root, 'executions'), logs: join(root, 'logs'), control: join(root, 'control') };
}

export interface ExecutionPaths {
  execution: string;
  logs: string;
  control: string;
  lock: string;
  /** Present while the execution waits for approval: an index, so finding waiting runs reads only them. */
  waiting: string;
}

/** The files of one execution; each is checked to stay in its folder, whatever the id. */
export function pathsOf(layout: StoreLayout, id: string): ExecutionPaths {
  return {
    execution: insideRoot(layout.executions, `${id}.jsonl`),
    logs: insideRoot(layout.logs, `${id}.jsonl`),
    control: insideRoot(layout.control, `${id}.cancel`),
    lock: insideRoot(layout.control, `${id}.lock`),
    waiting: insideRoot(layout.control, `${id}.waiting`),
  };
}

/**
 * Creates the store folders and checks that each can be written. On failure removes the folders
 * it created and throws StoreError E_STORE_UNWRITABLE naming the directory and the OS reason.
 */
export async function prepareLayout(root: string): Promise<StoreLayout> {
  const layout = layoutOf(root);
  const created: string[] = [];
  try {
    for (const dir of [layout.root, layout.executions, layout.logs, layout.control]) {
      const first = await mkdir(dir, { recursive: true });
      if (first !== undefined) created.push(first);
    }
    for (const dir of [layout.executions, layout.logs, layout.control]) await probeWrite(dir);
  } catch (err) {
    for (const dir of created.reverse()) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw new StoreError('E_STORE_UNWRITABLE', `cannot write the execution store at ${root}: ${osReason(err)}`, {
      cause: err,
    });
  }
  return layout;
}

async function probeWrite(dir: string): Promise<void> {
  const probe = join(dir, `.probe-${process.pid}`);
  await writeFile(probe, '');
  await rm(probe);
}
