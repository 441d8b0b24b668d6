// Shared set-up for the GitHub port tests: an octokitPort aimed at the fake API whose waits are
// recorded instead of slept, so retries take no real time.
import { octokitPort, type GitHubPort, type OctokitPortOptions } from '../../src/action/github/port.ts';
import type { FakeGitHub } from './fake-github.ts';

export const token = 'ghs_FakeToken1234567890';

export interface TestPort {
  port: GitHubPort;
  /** Every wait the port asked for between attempts, in ms. */
  sleeps: number[];
}

export function portFor(gh: Pick<FakeGitHub, 'url'>, o: Partial<OctokitPortOptions> = {}): TestPort {
  const sleeps: number[] = [];
  const port = octokitPort({
    token, owner: 'acme', repo: 'widgets', baseUrl: gh.url,
    sleep: async (ms) => { sleeps.push(ms); },
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    ...o,
  });
  return { port, sleeps };
}

/** The rejection of `p`, failing the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected a rejection, got a value');
}
