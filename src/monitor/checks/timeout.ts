// A probe's deadline: the caller's signal (the scheduler stopping) combined with the probe's own
// timeout, and the words for whichever ended it; and reading a body up to a size limit. Probes
// and the Prometheus and Loki clients share both.

export interface Deadline {
  signal: AbortSignal;
  /** Why the probe was cut short, or undefined when it was not. */
  reason: () => string | undefined;
  dispose: () => void;
}

/** `timeoutText` says what happened when the time ran out (default `timed out after <ms>ms`). */
export function deadline(timeoutMs: number, outer?: AbortSignal, timeoutText = `timed out after ${timeoutMs}ms`): Deadline {
  const controller = new AbortController();
  let why: string | undefined;
  const stop = (reason: string) => { if (!why) { why = reason; controller.abort(new Error(reason)); } };
  const timer = setTimeout(() => stop(timeoutText), timeoutMs);
  const onOuter = () => stop('cancelled');
  if (outer?.aborted) onOuter(); else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    reason: () => why,
    dispose: () => { clearTimeout(timer); outer?.removeEventListener('abort', onOuter); },
  };
}

/** Reads at most `max` bytes of a body; `complete` is false when there was more (the rest is dropped). */
export async function readBody(body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } } | null, max: number): Promise<{ bytes: Buffer; complete: boolean }> {
  if (!body) return { bytes: Buffer.alloc(0), complete: true };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > max) { await reader.cancel().catch(() => undefined); break; }
  }
  const bytes = Buffer.concat(chunks);
  return size > max ? { bytes: bytes.subarray(0, max), complete: false } : { bytes, complete: true };
}
