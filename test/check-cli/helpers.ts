// A HealthCheck project in a temp dir, and a node:http server on 127.0.0.1 for it to probe.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { project } from '../cli/helpers.ts';

export { cli } from '../cli/helpers.ts';

export const healthCheck = (id: string, spec: string): string => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: ${id} }
spec:
${spec}`;

/** A project whose pipelines/ holds one file per document. */
export const checksProject = (docs: Record<string, string>): string =>
  project(Object.fromEntries(Object.entries(docs).map(([name, text]) => [`pipelines/${name}.yml`, text])));

/**
 * GET /health → 200 {"status":"ok"}; /echo → 200 with the method, the x-probe header and the
 * body as JSON; anything else → 503.
 */
export async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      const reply = (status: number, value: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };
      if (req.url === '/health') reply(200, { status: 'ok' });
      else if (req.url === '/echo') reply(200, { method: req.method, probe: req.headers['x-probe'] ?? null, body });
      else reply(503, { status: 'down' });
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const listen = (server: Server): Promise<number> => new Promise((resolve) =>
  server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
