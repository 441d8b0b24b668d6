// A docs block of `curl` requests against the HTTP API, sent with fetch to a real `serve` on
// 127.0.0.1 (port 0). Each request must name a route of the route table; a request the docs
// write without a placeholder must succeed (2xx). A placeholder (`<id>`) gets the id of what an
// earlier request of the block created, if any; the thing it names may then be in another state
// than the docs assume (a finished run is not waiting), so such a request must be well-formed:
// no 400, 405, 415, 422 or 5xx, which would say the documented request itself is wrong.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchRoute } from '../../src/api/router.ts';
import { routes } from '../../src/api/routes.ts';
import { expand, type Command } from './shell.ts';

export interface Sent { line: number; request: string; status: number; problem?: string }

interface Request { method: string; url: string; headers: Record<string, string>; body?: string; placeholder: boolean }

/** The request a `curl` command sends, or a reason it cannot be read. */
export function curlRequest(cmd: Command, vars: Record<string, string>, cwd: string): Request {
  const words = cmd.words.slice(1).map((w) => expand(w, vars));
  const headers: Record<string, string> = {};
  let method: string | undefined, body: string | undefined, url: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-s' || w === '-N') continue;
    if (w === '-H') { const [k, ...v] = words[++i]!.split(':'); headers[k!.trim().toLowerCase()] = v.join(':').trim(); continue; }
    if (w === '-X') { method = words[++i]; continue; }
    if (w === '-d') { body = words[++i]; continue; }
    if (w === '--data-binary') { const v = words[++i]!; body = v.startsWith('@') ? readFileSync(join(cwd, v.slice(1)), 'utf8') : v; continue; }
    if (w.startsWith('-')) throw new Error(`line ${cmd.line}: curl option ${w} is not understood by the docs test`);
    url = w;
  }
  if (!url) throw new Error(`line ${cmd.line}: curl without a URL`);
  return { method: method ?? (body === undefined ? 'GET' : 'POST'), url, headers, body, placeholder: url.includes('<') };
}

/** Sends the block's requests in order; `ids` fills `<id>` per resource as earlier answers create them. */
export async function sendAll(commands: Command[], vars: Record<string, string>, cwd: string): Promise<Sent[]> {
  const sent: Sent[] = [];
  const ids: Record<string, string> = {};
  for (const cmd of commands) {
    const first = cmd.words[0]!.text;
    if (first === 'export' || /^[A-Za-z_]\w*=/.test(first)) {
      for (const w of (first === 'export' ? cmd.words.slice(1) : cmd.words)) {
        const [k, ...v] = w.text.split('=');
        if (!(k! in vars)) vars[k!] = expand({ text: v.join('='), expands: w.expands }, vars);
      }
      continue;
    }
    if (first !== 'curl') throw new Error(`line ${cmd.line}: ${first} is neither curl nor a variable`);
    const r = curlRequest(cmd, vars, cwd);
    const u = new URL(r.url.replace(/<id>/g, 'x'));
    const resource = /^\/api\/(\w+)/.exec(u.pathname)?.[1] ?? '';
    const url = r.url.replace(/<id>/g, ids[resource] ?? 'docs-placeholder');
    const request = `${r.method} ${u.pathname}`;
    const match = matchRoute(routes, r.method, u.pathname);
    if (match.kind !== 'found') { sent.push({ line: cmd.line, request, status: 0, problem: `no route ${r.method} ${u.pathname}` }); continue; }
    const answer = await fetch(url, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(30_000) });
    let problem: string | undefined;
    if (answer.headers.get('content-type')?.startsWith('text/event-stream')) {
      await answer.body?.cancel();
    } else {
      const json = await answer.json() as { success?: boolean; data?: { id?: unknown } };
      if (typeof json.data?.id === 'string' && answer.status < 300 && r.method === 'POST') ids[resource] = json.data.id;
      if (!answer.ok) problem = JSON.stringify(json);
    }
    const wellFormed = ![400, 405, 415, 422].includes(answer.status) && answer.status < 500;
    const fine = r.placeholder ? wellFormed : answer.ok;
    sent.push({ line: cmd.line, request, status: answer.status, problem: fine ? undefined : problem ?? `status ${answer.status}` });
  }
  return sent;
}
