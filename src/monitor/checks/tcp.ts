// The TCP probe: can a connection to host:port be opened within the timeout? Fields: connected,
// responseTime (ms to the connection). A refused or timed-out connection is a failed probe with
// `connected: false`.
import { connect } from 'node:net';
import { errorText, type ProbeOutcome } from './result.ts';
import { deadline } from './timeout.ts';

export interface TcpProbe {
  host: string;
  port: number;
  timeoutMs: number;
}

export interface TcpEdges {
  now: () => number;
  signal?: AbortSignal;
}

export function probeTcp(probe: TcpProbe, edges: TcpEdges): Promise<ProbeOutcome> {
  const limit = deadline(probe.timeoutMs, edges.signal);
  const started = edges.now();
  return new Promise((resolve) => {
    const socket = connect({ host: probe.host, port: probe.port });
    const finish = (outcome: ProbeOutcome) => {
      limit.signal.removeEventListener('abort', onAbort);
      limit.dispose();
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ ok: false, fields: { connected: false, responseTime: null }, error: limit.reason() ?? 'cancelled' });
    socket.once('connect', () => finish({ ok: true, fields: { connected: true, responseTime: edges.now() - started } }));
    socket.on('error', (e) => finish({
      ok: false, fields: { connected: false, responseTime: null },
      error: `could not connect to ${probe.host}:${probe.port}: ${errorText(e)}`,
    }));
    if (limit.signal.aborted) onAbort(); else limit.signal.addEventListener('abort', onAbort, { once: true });
  });
}
