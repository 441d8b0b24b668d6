// `run:` — a shell script in the workspace. Output lines go to the step log; the exit code
// decides success; `$PLUGINOPS_OUTPUT` collects outputs.
import { Type } from '@sinclair/typebox';
import { readFile, unlink } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { StringEnum } from '../../documents/schema/common.ts';
import { StepFailure, defineStep } from '../types.ts';
import { parseOutputs } from './outputs.ts';
import { shellCommand } from './shell.ts';

export const runStep = defineStep({
  description: 'Runs a shell script.',
  inputs: Type.Object({
    script: Type.String(),
    shell: Type.Optional(StringEnum(['bash', 'sh'] as const)),
    workingDirectory: Type.Optional(Type.String()),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const outputFile = join(await ctx.scratchDir(), `${ctx.stepId}.${ctx.attempt}.out`);
    const [command, args] = shellCommand(ctx.inputs.shell ?? 'bash', ctx.inputs.script, ctx.env.PATH);
    const wd = ctx.inputs.workingDirectory;
    const result = await ctx.edges.spawn({
      command, args,
      cwd: wd ? (isAbsolute(wd) ? wd : join(ctx.workspace, wd)) : ctx.workspace,
      env: { ...ctx.env, PLUGINOPS_OUTPUT: outputFile },
      signal: ctx.signal,
      killGraceMs: ctx.edges.killGraceMs,
      onLine: (stream, line) => ctx.log(line, 'info', stream),
    });
    const outputs = await readFile(outputFile, 'utf8').catch(() => undefined);
    if (outputs !== undefined) {
      for (const [k, v] of Object.entries(parseOutputs(outputs))) ctx.setOutput(k, v);
      await unlink(outputFile).catch(() => undefined);
    }
    if (result.exitCode !== 0) {
      throw new StepFailure(result.signal ? `the script was stopped by ${result.signal}` : `the script exited with code ${result.exitCode}`, result.exitCode ?? undefined);
    }
  },
});
