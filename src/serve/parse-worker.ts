// The worker thread that checks document bodies for the API (see offload.ts): says it is ready
// once loaded, then answers one verdict per message, in order. Bundled on its own as
// dist/parse-worker.js.
import { parentPort } from 'node:worker_threads';
import { checkWorkflowBody, type BodyJob } from '../api/workflows/check-body.ts';
import { registry } from '../wiring/registry.ts';

parentPort?.on('message', (m: { seq: number; job: BodyJob }) => {
  parentPort?.postMessage({ seq: m.seq, verdict: checkWorkflowBody(m.job, registry) });
});
parentPort?.postMessage({ ready: true });
