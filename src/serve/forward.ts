// On a replica that does not lead, a change to what the leader keeps (incidents, checks run now,
// pushed metrics, run-time controls, self-healing and optimization) is sent on to the leader and
// its answer passed back, so any replica answers any client. Only requests that carry a bearer
// token go on: the leader checks that token itself. A dashboard session lives on the replica that
// signed it in, so such a request is refused with the leader's address instead; and a request
// that was forwarded once is never forwarded again (no loops while the lease changes hands).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api/errors.ts';
import { commonHeaders } from '../api/envelope.ts';

const leaderOwned = [/^\/api\/incidents(\/|$)/, /^\/api\/checks\/[^/]+\/run$/, /^\/api\/metrics$/, /^\/api\/controls(\/|$)/, /^\/api\/remediation(\/|$)/, /^\/api\/optimization(\/|$)/];
export const forwardedHeader = 'x-pluginops-forwarded-by';
const maxBody = 1024 * 1024;

/** Whether this request changes state the leader keeps. */
export const ownedByLeader = (method: string, path: string): boolean =>
  method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && leaderOwned.some((p) => p.test(path));

export async function forwardToLeader(req: IncomingMessage, res: ServerResponse, o: { replica: string; leader: () => Promise<{ url?: string } | undefined> }): Promise<void> {
  const leader = await o.leader();
  const auth = req.headers.authorization;
  if (!leader?.url) throw new ApiError('unavailable', 'no replica leads right now (the lease is changing hands): try again in a few seconds', undefined, { 'retry-after': '2' });
  if (req.headers[forwardedHeader] || !auth?.startsWith('Bearer ')) {
    throw new ApiError('unavailable', `this replica does not lead; send this request to the leader, ${leader.url}`, { leader: leader.url }, { 'retry-after': '1' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > maxBody) throw new ApiError('tooLarge', `the body is larger than ${maxBody} bytes`);
    chunks.push(c as Buffer);
  }
  let answer: Response;
  try {
    answer = await fetch(`${leader.url}${req.url ?? '/'}`, {
      method: req.method ?? 'POST', redirect: 'manual', signal: AbortSignal.timeout(30_000),
      headers: { authorization: auth, [forwardedHeader]: o.replica, ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}) },
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
  } catch (e) {
    throw new ApiError('unavailable', `the leader (${leader.url}) did not answer: ${(e as Error).message}`, { leader: leader.url }, { 'retry-after': '2' });
  }
  const body = Buffer.from(await answer.arrayBuffer());
  res.writeHead(answer.status, { ...commonHeaders, 'content-type': answer.headers.get('content-type') ?? 'application/json; charset=utf-8', ...(answer.headers.get('location') ? { location: answer.headers.get('location')! } : {}) });
  res.end(body);
}
