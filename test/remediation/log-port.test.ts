// The remediation log contract (log-contract.ts) on the file log: each instance is another
// `fileRemediationLog` on the same path, as serve and the CLI each open it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileRemediationLog } from '../../src/remediation/log.ts';
import { logContract } from './log-contract.ts';

logContract('file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-log-port-'));
  const path = join(dir, 'store', 'remediation.jsonl');
  return { open: async () => fileRemediationLog(path), close: async () => rmSync(dir, { recursive: true, force: true }) };
}).run();
