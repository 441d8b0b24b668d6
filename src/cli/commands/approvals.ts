// `pluginops approve|reject RUN` and `pluginops retry RUN`: answering a run that waits for
// approval (the run is taken up by this command when the answer completes the approval), and
// running the failed steps of a finished run again.
import { defineCommand, keyValues } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import { defaultActor } from '../../runs/service.ts';
import { runOptions, withRuns } from './run.ts';

const oneRun = (positionals: string[], usage: string): string => {
  if (positionals.length !== 1) throw new CliError('E_USAGE', `expected one run id\nusage: ${usage}`);
  return positionals[0]!;
};

const decisionCommand = (decision: 'approve' | 'reject') => defineCommand({
  name: decision,
  summary: decision === 'approve'
    ? 'Approve a run that waits for approval (--set changes values an approver may modify); the rest of the run follows'
    : 'Reject a run that waits for approval; it ends failed',
  usage: `pluginops ${decision} RUN [--comment TEXT]${decision === 'approve' ? ' [--set key=value]...' : ''} [--as NAME] [--step ID] [--json | --quiet]`,
  options: { ...runOptions, comment: { type: 'string', short: 'm' }, set: { type: 'string', multiple: true }, step: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    const id = oneRun(positionals, this.usage);
    const set = keyValues(values.set, '--set');
    if (decision === 'reject' && Object.keys(set).length) throw new CliError('E_USAGE', '--set comes with approve (Modify), not reject');
    const by = values.as ?? defaultActor(ctx.env);
    return withRuns(ctx, values, async (runs, follow) => {
      const { decided, resumed } = await runs.decide(id, {
        decision, by, via: 'cli', ...(values.comment !== undefined ? { comment: values.comment } : {}),
        ...(Object.keys(set).length ? { values: set } : {}), ...(values.step ? { step: values.step } : {}),
      }, follow.control);
      const d = decided.decision;
      if (d.decision === 'timeout') ctx.stderr.write(`run ${id} waited past its deadline: ${decided.outcome} by the timeout, not by ${by}\n`);
      else if (decided.outcome === 'waiting') {
        const got = decided.approval.decisions.filter((x) => x.decision === 'approve').length;
        ctx.stderr.write(`run ${id}: ${by} approved (${got} of ${decided.approval.quorum}); it waits for more approvals\n`);
        return exitCodes.waiting;
      } else ctx.stderr.write(`run ${id} ${decided.outcome} by ${by}${d.comment ? `: ${d.comment}` : ''}\n`);
      // An answer that came after the deadline was not taken: the timeout decided.
      if (d.decision === 'timeout' && decided.outcome === 'rejected') return exitCodes.refused;
      if (!resumed) return exitCodes.success;
      return follow(resumed);
    });
  },
});

export const approveCommand = decisionCommand('approve');
export const rejectCommand = decisionCommand('reject');

export const retryCommand = defineCommand({
  name: 'retry',
  summary: 'Run the failed steps of a finished run again, and the steps after them; other successful steps keep their outputs',
  usage: 'pluginops retry RUN [--as NAME] [--json | --quiet]',
  options: { ...runOptions },
  async run({ values, positionals }, ctx) {
    const id = oneRun(positionals, this.usage);
    return withRuns(ctx, values, async (runs, follow) => follow(await runs.retry(id, values.as ?? defaultActor(ctx.env), follow.control)));
  },
});
