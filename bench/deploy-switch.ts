// Deploy and rollback on a directory target: the whole deploy (unpack, verify, switch, ledger),
// the switch of `current` alone, and a rollback (re-verify the earlier release, then switch).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArchive } from '../src/plugins/archive/index.ts';
import { deployToDirectory, rollbackDirectory } from '../src/plugins/releases/directory.ts';
import { switchLink } from '../src/plugins/releases/fs.ts';
import { pluginHome } from '../src/plugins/releases/layout.ts';
import { median } from './stats.ts';
import type { Benchmark, Row } from './types.ts';

async function plugin(work: string, version: string, files: number) {
  const dir = join(work, `src-${version}`);
  for (let i = 0; i < files; i++) {
    mkdirSync(join(dir, `d${i % 25}`), { recursive: true });
    writeFileSync(join(dir, `d${i % 25}`, `f${i}.py`), `# ${version}\n${'x = 1\n'.repeat(100 + (i % 50))}`);
  }
  return buildArchive({ root: dir, outDir: join(work, 'out'), name: `p-${version}` });
}

export const deploySwitch: Benchmark = {
  id: 'deploy',
  title: 'Deploy, switch and rollback on a directory target',
  description: 'A 2,000-file plugin (≈1.5 MB) deployed to a fresh directory target: the whole `deployToDirectory` (unpack into a hidden directory, verify every SHA-256, rename, switch `current`, fsync, ledger line), the atomic switch of `current` alone (symlink + rename + directory fsync), and `rollbackDirectory` (re-verify the earlier release\'s checksums, switch, ledger). Medians of repeated runs.',
  async run({ log, quick }) {
    const work = mkdtempSync(join(tmpdir(), 'pluginops-bench-deploy-'));
    try {
      const v1 = await plugin(work, '1.0.0', 2000);
      const v2 = await plugin(work, '2.0.0', 2000);
      const rounds = quick ? 1 : 7;
      const deploys: number[] = [], switches: number[] = [], rollbacks: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const target = mkdtempSync(join(work, 'target-'));
        const common = { targetPath: target, plugin: 'p', keep: 5, by: 'bench', now: new Date(), log: () => undefined };
        await deployToDirectory({ ...common, version: '1.0.0', archive: v1.archive, sha256: v1.sha256 });
        let t = performance.now();
        await deployToDirectory({ ...common, version: '2.0.0', archive: v2.archive, sha256: v2.sha256, now: new Date(Date.now() + 1000) });
        deploys.push(performance.now() - t);
        const home = pluginHome(target, 'p');
        t = performance.now();
        await switchLink(join(home.dir, 'bench-link'), 'releases');
        switches.push(performance.now() - t);
        t = performance.now();
        await rollbackDirectory({ ...common, now: new Date(Date.now() + 2000) });
        rollbacks.push(performance.now() - t);
        log(`  round ${i + 1}: deploy ${deploys.at(-1)!.toFixed(0)} ms, switch ${switches.at(-1)!.toFixed(2)} ms, rollback ${rollbacks.at(-1)!.toFixed(0)} ms`);
        rmSync(target, { recursive: true, force: true });
      }
      const rows: Row[] = [
        { name: 'deploy 2,000 files (unpack + verify + switch)', value: median(deploys), unit: 'ms', samples: deploys },
        { name: 'switch `current` (symlink + rename + fsync)', value: median(switches), unit: 'ms', samples: switches },
        { name: 'rollback (verify 2,000 files + switch)', value: median(rollbacks), unit: 'ms', samples: rollbacks },
      ];
      return rows;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
