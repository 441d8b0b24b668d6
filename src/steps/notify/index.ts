// `uses: notify` — sends a message to channels from the project file. Outputs `delivered` and
// `failed` (counts). A failed delivery is logged and does not fail the step unless `required`.
import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../documents/schema/common.ts';
import { severities, type StepMessage } from '../../notify/message.ts';
import { projectMask } from '../../engine/mask.ts';
import { sendToChannels } from '../../notify/send.ts';
import { StepFailure, defineStep } from '../../engine/step.ts';

export const notifyStep = defineStep({
  description: 'Sends a notification to channels defined in the project file.',
  inputs: Type.Object({
    channels: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Channel names from `channels:` in the project file.' }),
    title: Type.String({ minLength: 1 }),
    text: Type.Optional(Type.String()),
    severity: Type.Optional(StringEnum(severities, 'How the message is marked (default info).')),
    required: Type.Optional(Type.Boolean({ description: 'Fail the step when a delivery fails (default false).' })),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const { channels, title, text = '', severity = 'info', required = false } = ctx.inputs;
    const { clock, fetch } = ctx.edges;
    const message: StepMessage = {
      kind: 'step.message', title, text, severity, executionId: ctx.executionId, step: ctx.stepId,
      at: new Date(clock.now()).toISOString(),
    };
    const results = await sendToChannels(channels, ctx.scope.project.config.channels, message, {
      fetch, clock, env: ctx.env, signal: ctx.signal, locale: ctx.scope.project.config.locale, publicUrl: ctx.scope.project.config.server?.publicUrl, log: (m, level) => ctx.log(m, level),
      // A title or text built from expressions may carry a secret: masked like every output.
      mask: projectMask(ctx.scope.project.config, ctx.env),
    });
    const failed = results.filter((r) => !r.ok);
    ctx.setOutput('delivered', String(results.length - failed.length));
    ctx.setOutput('failed', String(failed.length));
    if (required && failed.length > 0) {
      throw new StepFailure(`${failed.length} of ${results.length} notification${results.length === 1 ? '' : 's'} not delivered: ${failed.map((r) => `${r.channel}: ${r.error}`).join('; ')}`);
    }
  },
});
