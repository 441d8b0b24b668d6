// What a command may touch: its arguments, the environment, two outputs and a cancel signal.
// Tests pass their own; only ./index.ts builds one from the real process.
import type { Output } from '../render/renderer.ts';

export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  isTTY: boolean;
  /** Aborted on the first SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Registers a SIGHUP handler (the reload request of a long-lived process); returns its removal. */
  onHangup?: (fn: () => void) => () => void;
}
