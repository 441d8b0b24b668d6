// `uses: wait` — pauses for a duration (on the engine's clock, so tests use virtual time).
import { Type } from '@sinclair/typebox';
import { Timeout } from '../../documents/schema/common.ts';
import { sleep } from '../../engine/clock.ts';
import { parseDuration } from '../../engine/duration.ts';
import { defineStep } from '../../engine/step.ts';

export const waitStep = defineStep({
  description: 'Waits for a duration.',
  inputs: Type.Object({ duration: Timeout }, { additionalProperties: false }),
  async handler(ctx) {
    await sleep(ctx.edges.clock, parseDuration(ctx.inputs.duration), ctx.signal);
  },
});
