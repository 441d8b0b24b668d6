// Shared pieces for the health-check tests: a loopback HTTP server with routes, a port nobody
// listens on, and edges built from the real fetch and spawner.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { spawnProcess } from '../../src/engine/process/spawn.ts';
import type { CheckEdges } from '../../src/monitor/checks/run.ts';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export async function httpServer(routes: Record<string, Route>): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(req, res); else { res.statusCode = 404; res.end('not found'); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A port that was free a moment ago: listen, note the port, close. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const realEdges = (over: Partial<CheckEdges> = {}): CheckEdges => ({
  fetch: (url, init) => fetch(url, init), spawn: spawnProcess, now: () => Date.now(), killGraceMs: 200, ...over,
});
