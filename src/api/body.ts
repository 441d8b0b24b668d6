// Request bodies: read up to a limit, with a checked media type, as UTF-8 text.
//
// - A `Content-Length` above the limit is refused before a byte is read; a body that grows past
//   it (chunked, or a lying length) is refused as soon as it does. Either way the answer is 413
//   at once, the rest of the body is discarded as it arrives (so the client can read the answer),
//   and a connection that keeps sending past `discardLimit` is closed. The server stays up.
// - The media type must be one the route accepts (415); `charset`, when given, must be UTF-8.
// - JSON that does not parse is 400 E_BAD_JSON; text that is not UTF-8 likewise, and JSON nested
//   deeper than `maxJsonDepth` (refused by a linear scan before JSON.parse).
import type { IncomingMessage } from 'node:http';
import { ApiError, ClientGoneError } from './errors.ts';

export type Media = 'json' | 'yaml';

export const defaultBodyLimit = 1024 * 1024;
/** After a 413, bytes still discarded before the connection is closed. */
export const discardLimit = 16 * 1024 * 1024;

const mediaTypes: Record<string, Media> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/x-yaml': 'yaml',
};

export const mediaNames = (accepted: readonly Media[]): string[] => Object.keys(mediaTypes).filter((m) => accepted.includes(mediaTypes[m]!));

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) { discard(req); throw tooLarge(limit); }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) { cleanup(); discard(req); reject(tooLarge(limit)); return; }
      chunks.push(chunk);
    };
    const onEnd = () => { cleanup(); resolve(Buffer.concat(chunks)); };
    const onGone = () => { cleanup(); reject(new ClientGoneError('the client went away while sending the body')); };
    const cleanup = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onGone); req.off('close', onGone); };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

/** Drops what is still coming; closes the connection when too much keeps coming. */
function discard(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > discardLimit) req.socket.destroy();
  });
  req.on('error', () => undefined);
}

const tooLarge = (limit: number) => new ApiError('tooLarge', `the body is larger than ${limit} bytes (server.bodyLimit)`);

/** The media type of `Content-Type`, if the route accepts it. */
export function mediaOf(header: string | undefined, accepted: readonly Media[]): Media {
  const [type = '', ...params] = (header ?? '').split(';').map((p) => p.trim().toLowerCase());
  const media = mediaTypes[type];
  const names = mediaNames(accepted).join(', ');
  if (!media || !accepted.includes(media)) {
    throw new ApiError('mediaType', `${header ? `Content-Type \`${header.slice(0, 100)}\` is not accepted` : 'the body has no Content-Type'}; expected ${names}`);
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new ApiError('mediaType', `charset \`${charset}\` is not accepted; expected utf-8`);
  return media;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(bytes: Buffer): string {
  try { return decoder.decode(bytes); } catch { throw new ApiError('badJson', 'the body is not UTF-8 text'); }
}

/** Deepest nesting a JSON body may have; checked by a linear scan before JSON.parse builds anything. */
export const maxJsonDepth = 64;

export function parseJson(text: string): unknown {
  const deep = tooDeepAt(text, maxJsonDepth);
  if (deep >= 0) throw new ApiError('badJson', `the body nests deeper than ${maxJsonDepth} levels (at character ${deep + 1}); expected a flatter value`);
  try { return JSON.parse(text); } catch (e) {
    throw new ApiError('badJson', `the body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}

/** Offset of the first `[` or `{` (outside strings) that opens level `max + 1`, or -1. */
function tooDeepAt(text: string, max: number): number {
  let depth = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) { if (++depth > max) return i; }
    else if (c === 93 || c === 125) depth--;
  }
  return -1;
}
