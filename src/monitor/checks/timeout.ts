// A probe's deadline: the caller's signal (the scheduler stopping) combined with the probe's own
// timeout, and the words for whichever ended it.

export interface Deadline {
  signal: AbortSignal;
  /** Why the probe was cut short, or undefined when it was not. */
  reason: () => string | undefined;
  dispose: () => void;
}

export function deadline(timeoutMs: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController();
  let why: string | undefined;
  const stop = (reason: string) => { if (!why) { why = reason; controller.abort(new Error(reason)); } };
  const timer = setTimeout(() => stop(`timed out after ${timeoutMs}ms`), timeoutMs);
  const onOuter = () => stop('cancelled');
  if (outer?.aborted) onOuter(); else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    reason: () => why,
    dispose: () => { clearTimeout(timer); outer?.removeEventListener('abort', onOuter); },
  };
}
