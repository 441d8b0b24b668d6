// `run:` — a shell script in the workspace. Output lines go to the step log; the exit code
// decides success; `$PLUGINOPS_OUTPUT` collects outputs, written with `pluginops_output`.
import { Type } from '@sinclair/typebox';
import { randomBytes } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { StringEnum } from '../../documents/schema/common.ts';
import { StepFailure, defineStep } from '../../engine/step.ts';
import { withOutputHelper } from './output-helper.ts';
import { OutputsError, parseOutputs } from './outputs.ts';
import { shellCommand } from '../../engine/process/shell.ts';

export const runStep = defineStep({
  description: 'Runs a shell script.',
  inputs: Type.Object({
    script: Type.String(),
    shell: Type.Optional(StringEnum(['bash', 'sh'] as const)),
    workingDirectory: Type.Optional(Type.String()),
  }, { additionalProperties: false }),
  async handler(ctx) {
    // Not a name another step of the run could guess and write to.
    const outputFile = join(await ctx.scratchDir(), `${ctx.stepId}.${ctx.attempt}.${randomBytes(8).toString('hex')}.out`);
    const shell = ctx.inputs.shell ?? 'bash';
    const delimiter = `pluginops_${randomBytes(16).toString('hex')}`;
    const [command, args] = shellCommand(shell, withOutputHelper(ctx.inputs.script, delimiter, shell), ctx.env.PATH);
    const wd = ctx.inputs.workingDirectory;
    const result = await ctx.edges.spawn({
      command, args,
      cwd: wd ? (isAbsolute(wd) ? wd : join(ctx.workspace, wd)) : ctx.workspace,
      env: { ...ctx.env, PLUGINOPS_OUTPUT: outputFile },
      signal: ctx.signal,
      killGraceMs: ctx.edges.killGraceMs,
      onLine: (stream, line) => ctx.log(line, 'info', stream),
    });
    const failed = result.exitCode !== 0
      ? new StepFailure(result.signal ? `the script was stopped by ${result.signal}` : `the script exited with code ${result.exitCode}`, result.exitCode ?? undefined)
      : undefined;
    const outputs = await readFile(outputFile, 'utf8').catch(() => undefined);
    if (outputs !== undefined) {
      await unlink(outputFile).catch(() => undefined);
      let parsed: Record<string, string>;
      try { parsed = parseOutputs(outputs); } catch (e) {
        if (!(e instanceof OutputsError)) throw e;
        // None of the outputs is set: any of them may be forged.
        throw new StepFailure(`${e.code} ${e.message}${failed ? ` (and ${failed.message})` : ''}`, failed?.exitCode);
      }
      for (const [k, v] of Object.entries(parsed)) ctx.setOutput(k, v);
    }
    if (failed) throw failed;
  },
});
