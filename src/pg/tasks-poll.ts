// The long poll behind `POST /api/workers/{id}/claim` on a shared queue: it tries at once, then
// whenever it is woken (a task went pending, here or on another replica) and every `pollMs` (so a
// lost notification costs at most that), until a task is claimed, `waitMs` has passed or `signal`
// aborts. One try at a time; a wakeup during a try makes another. A try under way when the wait
// ends is let finish: at the end of the wait its task is the answer; after an abort (nobody is
// there to take it) it is put back before the wait answers, so a claimed task never goes unseen.
import type { Clock } from '../engine/clock.ts';
import type { Task } from '../tasks/model.ts';

export interface PollEdges {
  claim(): Promise<Task | undefined>;
  /** Registers the wakeup; returns its removal. */
  waiter(wake: () => void): () => void;
  /** Gives back a task claimed for a poll that nobody waits for any more. */
  release(t: Task): Promise<void>;
  /** Registers how to end the poll when the queue closes; returns its removal. */
  track(end: () => void): () => void;
  clock: Clock;
  pollMs: number;
}

export function longPoll(e: PollEdges, waitMs: number, signal?: AbortSignal): Promise<Task | undefined> {
  if (waitMs <= 0 || signal?.aborted) return e.claim();
  return new Promise<Task | undefined>((resolve, reject) => {
    let waiting = true, trying = false, again = false, answered = false, gone = false;
    const answer = (t: Task | undefined, err?: unknown) => {
      if (answered) return;
      answered = true;
      if (err) reject(err); else resolve(t);
    };
    const stop = (abandoned: boolean) => {
      if (!waiting) return;
      waiting = false;
      gone = abandoned;
      offWaiter();
      cancelTimer();
      clearInterval(poll);
      untrack();
      signal?.removeEventListener('abort', abort);
      if (!trying) answer(undefined);
    };
    const attempt = () => {
      if (!waiting) return;
      if (trying) { again = true; return; }
      trying = true;
      again = false;
      e.claim().then((t) => {
        trying = false;
        if (t && gone) { void e.release(t).catch(() => undefined).then(() => answer(undefined)); return; }
        if (t) { answer(t); stop(false); return; }
        if (!waiting) answer(undefined); else if (again) attempt();
      }, (err: unknown) => { trying = false; answer(undefined, err); stop(false); });
    };
    const abort = () => stop(true);
    const offWaiter = e.waiter(attempt);
    const cancelTimer = e.clock.setTimer(waitMs, () => stop(false));
    const poll = setInterval(attempt, e.pollMs);
    poll.unref();
    const untrack = e.track(abort);
    signal?.addEventListener('abort', abort, { once: true });
    attempt();
  });
}
