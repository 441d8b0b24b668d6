// Pushed metrics: samples that plugins and scripts send for the rules on `metric:` sources. Each
// sample is judged alone — a bad one is listed in `rejected` with its index and reason, the good
// ones are kept — so one typo does not lose a batch. Unknown fields in a sample reject it.
import type { PushedSample } from '../../monitor/runtime/metrics.ts';
import { defineRoute } from '../route.ts';
import { PushMetrics, PushResult, Sample } from '../schemas/monitor.ts';

const sampleFields = new Set(Object.keys(Sample.properties));

export const metricRoutes = [
  defineRoute({
    method: 'POST', path: '/api/metrics', access: 'write', tag: 'metrics', operationId: 'pushMetrics',
    summary: 'Push metric samples',
    description: 'Each sample is `{ plugin?, metric, value, timestamp? }` (timestamp: ms since the epoch or an ISO time; the time of the push when absent). At most 10,000 per batch.',
    body: { kind: 'json', schema: PushMetrics, description: 'A batch of samples.' },
    answer: { status: 200, description: 'How many were kept, and why the others were not.', data: PushResult },
    async handle({ deps, body }) {
      const rejected: Array<{ index: number; error: string }> = [];
      const kept: Array<{ index: number; sample: PushedSample }> = [];
      body.samples.forEach((sample, index) => {
        const unknown = sample && typeof sample === 'object' && !Array.isArray(sample) ? Object.keys(sample).filter((k) => !sampleFields.has(k)) : [];
        if (unknown.length) rejected.push({ index, error: `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `\`${k}\``).join(', ')}; expected plugin, metric, value, timestamp` });
        // The engine checks every field of what it is given (metrics.ts `problem`).
        else kept.push({ index, sample: sample as PushedSample });
      });
      const result = deps.monitor().pushMetrics(kept.map((k) => k.sample));
      for (const r of result.rejected) rejected.push({ index: kept[r.index]!.index, error: r.error });
      rejected.sort((a, b) => a.index - b.index);
      return { data: { accepted: result.accepted, rejected }, message: `${result.accepted} accepted, ${rejected.length} rejected` };
    },
  }),
];
