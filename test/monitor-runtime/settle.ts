// For tests that drive a monitor on a virtual clock: waits, through the monitor's public surface,
// until no scheduled run is in flight, the state is written, and sends in flight have finished or
// `sendGraceMs` of real time has passed (a send may be waiting on the clock itself, for a rate
// limit or a retry).
import type { Monitor } from '../../src/monitor/runtime/monitor.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

export async function settled(monitor: Monitor, sendGraceMs = 100): Promise<void> {
  while (monitor.schedule().some((s) => s.running)) await tick();
  await monitor.written();
  const until = Date.now() + sendGraceMs;
  while (monitor.sending > 0 && Date.now() < until) await tick();
  await monitor.written();
}
