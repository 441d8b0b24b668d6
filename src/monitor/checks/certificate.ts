// Days left on a TLS peer certificate: read from a separate TLS handshake (fetch does not expose
// the peer certificate). The computation is pure; the handshake is the edge.
import { connect } from 'node:tls';
import { errorText } from './result.ts';

const dayMs = 86_400_000;

/** Whole days from `now` to the certificate's `valid_to` (negative once expired); null if unreadable. */
export function certificateDaysLeft(validTo: string, now: number): number | null {
  const end = Date.parse(validTo);
  return Number.isNaN(end) ? null : Math.floor((end - now) / dayMs);
}

export interface PeerCertificate {
  validTo?: string;
  error?: string;
}

/** The peer certificate's `valid_to` for an https URL; never throws. */
export function readPeerCertificate(url: URL, signal: AbortSignal): Promise<PeerCertificate> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({
      host, port: Number(url.port || 443), servername: /^[\d.:]+$/.test(host) ? undefined : host,
      rejectUnauthorized: false,
    });
    const onAbort = () => finish({ error: `could not read the certificate: ${errorText(signal.reason)}` });
    const finish = (r: PeerCertificate) => { signal.removeEventListener('abort', onAbort); socket.destroy(); resolve(r); };
    if (signal.aborted) { onAbort(); return; }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const validTo = socket.getPeerCertificate().valid_to;
      finish(validTo ? { validTo } : { error: 'the server sent no certificate' });
    });
    socket.once('error', (e) => finish({ error: `could not read the certificate: ${errorText(e)}` }));
  });
}
