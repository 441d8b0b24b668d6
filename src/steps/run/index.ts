// `run:` — a shell script in the workspace. Output lines go to the step log; the exit code
// decides success; `$PLUGINOPS_OUTPUT` collects outputs.
import { Type } from '@sinclair/typebox';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { StringEnum } from '../../documents/schema/common.ts';
import { StepFailure, defineStep } from '../types.ts';
import { parseOutputs } from './outputs.ts';

const shells = {
  bash: (script: string) => ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script]],
  sh: (script: string) => ['sh', ['-e', '-c', script]],
} as const satisfies Record<string, (s: string) => readonly [string, string[]]>;

export const runStep = defineStep({
  description: 'Runs a shell script.',
  inputs: Type.Object({
    script: Type.String(),
    shell: Type.Optional(StringEnum(['bash', 'sh'] as const)),
    workingDirectory: Type.Optional(Type.String()),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const dir = await mkdtemp(join(tmpdir(), 'pluginops-step-'));
    const outputFile = join(dir, 'output');
    try {
      const [command, args] = shells[ctx.inputs.shell ?? 'bash'](ctx.inputs.script);
      const wd = ctx.inputs.workingDirectory;
      const result = await ctx.edges.spawn({
        command, args,
        cwd: wd ? (isAbsolute(wd) ? wd : join(ctx.workspace, wd)) : ctx.workspace,
        env: { ...ctx.env, PLUGINOPS_OUTPUT: outputFile },
        signal: ctx.signal,
        killGraceMs: ctx.edges.killGraceMs,
        onLine: (stream, line) => ctx.log(line, stream === 'stderr' ? 'warn' : 'info'),
      });
      const outputs = await readFile(outputFile, 'utf8').catch(() => '');
      for (const [k, v] of Object.entries(parseOutputs(outputs))) ctx.setOutput(k, v);
      if (result.exitCode !== 0) {
        throw new StepFailure(result.signal ? `the script was stopped by ${result.signal}` : `the script exited with code ${result.exitCode}`, result.exitCode ?? undefined);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});
