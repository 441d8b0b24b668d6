// How the API has document bodies checked: `serve` hands it a worker thread (serve/offload.ts);
// tests and callers without a worker check in the calling thread.
import type { DocumentRegistry } from '../../documents/registry.ts';
import { checkWorkflowBody, type BodyJob, type BodyVerdict } from './check-body.ts';

export interface DocumentChecker {
  check(job: BodyJob): Promise<BodyVerdict>;
  close(): Promise<void>;
}

/** Checks in the calling thread, against the registry given. */
export const inThreadChecker = (registry: DocumentRegistry): DocumentChecker => ({
  check: async (job) => checkWorkflowBody(job, registry),
  close: async () => undefined,
});
