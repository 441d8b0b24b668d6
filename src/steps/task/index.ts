// `uses: task` — submits a task for a worker (a workflow or action plan it runs, with `data` as
// its parameters) and, unless `wait: false`, follows it to its end: the step fails when the task
// does not succeed. Outputs `task` (its id), `state`, `execution` (the run the worker recorded),
// `worker`, and the task's outputs as `<step>.<name>`. Cancelling the run cancels a task being
// waited for. Needs a server with workers (`pluginops serve`); `pluginops run` refuses it.
import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../documents/schema/common.ts';
import { StepFailure, defineStep } from '../../engine/step.ts';

const Capability = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:+/-]*$' });

export const taskStep = defineStep({
  description: 'Submits a task for a worker and waits for it to end.',
  inputs: Type.Object({
    workflow: Type.String({ minLength: 1, maxLength: 128, description: 'The workflow or action plan the worker runs.' }),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'What the task is (default the workflow).' })),
    priority: Type.Optional(StringEnum(['low', 'normal', 'high', 'critical'] as const, 'Claimed first: critical, high, normal, low (default normal).')),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The workflow\'s parameters.' })),
    capabilities: Type.Optional(Type.Array(Capability, { maxItems: 32, uniqueItems: true, description: 'What the worker needs (default the workflow\'s `runsOn`).' })),
    plugin: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'The plugin directory, relative to the worker\'s directory.' })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    deadline: Type.Optional(Type.String({ format: 'date-time', description: 'Dead-lettered when still pending at this time.' })),
    wait: Type.Optional(Type.Boolean({ description: 'Follow the task to its end (default true); false: submit it and go on.' })),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const workers = ctx.edges.workers;
    if (!workers) throw new StepFailure('`uses: task` needs a server with workers: run this through `pluginops serve` (the API, the dashboard, or a schedule), not `pluginops run`');
    const { wait = true, type, ...rest } = ctx.inputs;
    const end = await workers.submit({ type: type ?? rest.workflow, ...rest }, ctx, wait);
    ctx.setOutput('task', end.id);
    ctx.setOutput('state', end.state);
    if (end.execution) ctx.setOutput('execution', end.execution);
    if (end.worker) ctx.setOutput('worker', end.worker);
    for (const [k, v] of Object.entries(end.outputs)) ctx.setOutput(k, v);
    if (wait && end.state !== 'succeeded') throw new StepFailure(`task ${end.id} ended ${end.state}${end.error ? `: ${end.error}` : ''}`);
  },
});
