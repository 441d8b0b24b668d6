// Generated step graphs, and the same graph as a pluginops workflow (YAML text or document
// object) and as a Makefile.
import type { WorkflowDoc } from '../src/documents/schema/index.ts';
import { prng } from './stats.ts';

export interface DagStep {
  id: string;
  needs: string[];
}

export interface Dag {
  name: string;
  steps: DagStep[];
}

const stepId = (layer: number, index: number) => `s${layer}_${index}`;

/**
 * `layers` × `width` steps; each step after the first layer needs 2 or 3 distinct steps of the
 * layer before, picked pseudo-randomly from `seed` (the same graph every time).
 */
export function layeredDag(layers: number, width: number, seed = 42): Dag {
  const random = prng(seed);
  const steps: DagStep[] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      const needs = new Set<string>();
      if (l > 0) {
        const want = Math.min(width, random() < 0.5 ? 2 : 3);
        while (needs.size < want) needs.add(stepId(l - 1, Math.floor(random() * width)));
      }
      steps.push({ id: stepId(l, i), needs: [...needs] });
    }
  }
  return { name: `layered ${layers}×${width}`, steps };
}

/** Each step needs the one before. */
export function chainDag(n: number): Dag {
  return { name: `chain of ${n}`, steps: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, needs: i === 0 ? [] : [`c${i - 1}`] })) };
}

/** No step needs another. */
export function wideDag(n: number): Dag {
  return { name: `wide ${n}`, steps: Array.from({ length: n }, (_, i) => ({ id: `w${i}`, needs: [] })) };
}

export interface WorkflowOptions {
  script?: string;
  shell?: 'bash' | 'sh';
}

/** The graph as workflow YAML, every step running `script` (default `true`). */
export function toWorkflowYaml(dag: Dag, o: WorkflowOptions = {}): string {
  const lines = ['apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: bench-dag', 'spec:', '  steps:'];
  for (const s of dag.steps) {
    lines.push(`    - id: ${s.id}`, `      run: ${JSON.stringify(o.script ?? 'true')}`);
    if (o.shell) lines.push(`      shell: ${o.shell}`);
    if (s.needs.length) lines.push(`      needs: [${s.needs.join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The graph as a workflow document object, as loading the YAML would give it. In-process
 * benchmarks use it directly: validating a 10,000-step document takes far longer than running it.
 */
export function toWorkflowDoc(dag: Dag, o: WorkflowOptions = {}): WorkflowDoc {
  return {
    apiVersion: 'pluginops/v1', kind: 'Workflow', metadata: { id: 'bench-dag' },
    spec: {
      steps: dag.steps.map((s) => ({
        id: s.id, run: o.script ?? 'true',
        ...(o.shell ? { shell: o.shell } : {}),
        ...(s.needs.length ? { needs: [...s.needs] } : {}),
      })),
    },
  } as WorkflowDoc;
}

/** The graph as a Makefile: one phony target per step with the same prerequisites, recipe `@true`. */
export function toMakefile(dag: Dag): string {
  const ids = dag.steps.map((s) => s.id);
  const lines = [`.PHONY: all ${ids.join(' ')}`, `all: ${ids.join(' ')}`, ''];
  for (const s of dag.steps) lines.push(`${s.id}:${s.needs.length ? ' ' + s.needs.join(' ') : ''}`, '\t@true', '');
  return lines.join('\n');
}
