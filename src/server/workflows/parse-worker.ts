// The worker thread that checks document bodies for the API (see offload.ts): one message in,
// one verdict out, in order. Bundled on its own as dist/parse-worker.js.
import { parentPort } from 'node:worker_threads';
import { checkWorkflowBody, type BodyJob } from './check-body.ts';

parentPort?.on('message', (m: { seq: number; job: BodyJob }) => {
  parentPort?.postMessage({ seq: m.seq, verdict: checkWorkflowBody(m.job) });
});
