// A GitHub deployment that follows one run: created and `in_progress` when the run starts,
// `success` or `failure` when it ends, `inactive` when its release is rolled back. The API is a
// side channel: every call logs and swallows its errors, so a 403 or a 500 from GitHub never
// changes the run's own result. Calls run one after another in the order they were made.
import type { DeploymentState, GitHubPort } from './port.ts';

/** Where the tracker's warnings go (a failed API call); the action passes core.warning. */
export type TrackerLog = (message: string) => void;

export interface DeploymentTrackerOptions {
  ref: string;
  environment: string;
  log: TrackerLog;
  /** The run's page, shown as the deployment's log. */
  logUrl?: string;
  /** Where the deployed thing can be seen, shown on success. */
  environmentUrl?: string;
  payload?: object;
  transient?: boolean;
  production?: boolean;
}

export interface DeploymentTracker {
  started(description: string): Promise<void>;
  finished(ok: boolean, description: string): Promise<void>;
  rolledBack(description: string): Promise<void>;
  /** The deployment's id once created; undefined before, or when creating it failed (then the other calls do nothing). */
  readonly id: number | undefined;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function deploymentTracker(port: GitHubPort, o: DeploymentTrackerOptions): DeploymentTracker {
  let id: number | undefined;
  let queue: Promise<void> = Promise.resolve();
  // Each call waits for the one before; nothing escapes, not even a throwing logger.
  const inOrder = (work: () => Promise<void>): Promise<void> => (queue = queue.then(work).catch(() => undefined));

  async function status(state: DeploymentState, description: string): Promise<void> {
    if (id === undefined) {
      return; // creating it failed, and that was warned about
    }
    try {
      await port.createDeploymentStatus(id, {
        state, description,
        ...(o.logUrl !== undefined && { logUrl: o.logUrl }),
        ...(state === 'success' && o.environmentUrl !== undefined && { environmentUrl: o.environmentUrl }),
      });
    } catch (error) {
      o.log(`GitHub deployment ${id} to ${o.environment}: could not set ${state}: ${reason(error)}`);
    }
  }

  return {
    get id() { return id; },

    started: (description) => inOrder(async () => {
      if (id === undefined) {
        try {
          ({ id } = await port.createDeployment({
            ref: o.ref, environment: o.environment, description,
            ...(o.payload !== undefined && { payload: o.payload }),
            ...(o.transient !== undefined && { transient: o.transient }),
            ...(o.production !== undefined && { production: o.production }),
          }));
        } catch (error) {
          o.log(`GitHub deployment to ${o.environment}: could not create it: ${reason(error)}`);
          return;
        }
      }
      await status('in_progress', description);
    }),

    finished: (ok, description) => inOrder(() => status(ok ? 'success' : 'failure', description)),

    rolledBack: (description) => inOrder(() => status('inactive', description)),
  };
}
