// Open live streams (the dashboard's /events, execution log streams): each holds a connection
// and a poll, so they are counted. At most `total` at once in the process, and at most
// `perCaller` for one caller (a token's name from one address; anonymous readers by address), so
// one client cannot take every slot and lock the others out. A refused stream is a 503 the client
// retries later.
import type { IncomingMessage } from 'node:http';
import type { Caller } from './auth.ts';
import { ApiError } from './errors.ts';

export interface StreamSlots {
  /** Takes a slot for `caller`, or throws 503 E_UNAVAILABLE; the returned function gives it back (once). */
  take(caller: string): () => void;
  readonly open: number;
}

export const streamLimits = { total: 1_000, perCaller: 50 } as const;

/** Whose slots a stream takes: the token's name (a session's too) and the client's address. */
export function streamCaller(caller: Caller, req: IncomingMessage): string {
  return `${caller.name ?? '(anonymous)'}@${req.socket.remoteAddress ?? '?'}`;
}

export function createStreamSlots(total: number = streamLimits.total, perCaller: number = streamLimits.perCaller): StreamSlots {
  const byCaller = new Map<string, number>();
  let open = 0;
  return {
    take(caller) {
      const mine = byCaller.get(caller) ?? 0;
      if (open >= total) throw new ApiError('unavailable', 'too many live streams are open; try again later');
      if (mine >= perCaller) throw new ApiError('unavailable', `too many live streams are open for this caller (${perCaller}); close some pages and try again`);
      open++;
      byCaller.set(caller, mine + 1);
      let given = false;
      return () => {
        if (given) return;
        given = true;
        open--;
        const left = (byCaller.get(caller) ?? 1) - 1;
        if (left > 0) byCaller.set(caller, left); else byCaller.delete(caller);
      };
    },
    get open() { return open; },
  };
}
