// Structured log lines for the long-lived process: JSON objects (one per line: time, level,
// msg and fields) when the output is not a terminal, so log shippers can parse them; short
// readable lines on a terminal. Values that are secrets are masked before anything is written.
import type { Output } from '../render/renderer.ts';
import type { Mask } from '../engine/mask.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (msg: string, level?: Level, fields?: Record<string, unknown>) => void;

const rank: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(out: Output, o: { json: boolean; now: () => number; mask: () => Mask; minLevel?: Level }): Logger {
  const min = rank[o.minLevel ?? 'info'];
  return (msg, level = 'info', fields = {}) => {
    if (rank[level] < min) return;
    const mask = o.mask();
    const time = new Date(o.now()).toISOString();
    if (o.json) {
      out.write(`${mask(JSON.stringify({ time, level, msg, ...fields }))}\n`);
    } else {
      const extra = Object.entries(fields).map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('');
      out.write(`${mask(`${time.slice(11, 19)} ${level.padEnd(5)} ${msg}${extra}`)}\n`);
    }
  };
}
