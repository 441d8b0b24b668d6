// `buildArchive` against `tar czf` on the same ~200 MB, ~20,000-file tree, interleaved, plus the
// time of a rebuild on unchanged input (reuse).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArchive } from '../src/plugins/archive/index.ts';
import { collectGarbage, median, prng, timeCommand } from './stats.ts';
import type { Benchmark, BenchContext, Row } from './types.ts';

const goalRatio = 0.8;

export interface TreeSpec {
  files: number;
  bytes: number;
  /** Share of the bytes in incompressible random files. */
  binaryShare: number;
  binaryFiles: number;
}

export const defaultTree: TreeSpec = { files: 20_000, bytes: 200_000_000, binaryShare: 0.15, binaryFiles: 150 };

const words = (() => {
  const random = prng(7);
  const letters = 'etaoinshrdlucmfwypvbgkqjxz';
  const common = ['const', 'return', 'function', 'import', 'export', 'if', 'else', 'for', 'await', 'string', 'number', 'value', 'options', 'the', 'of', 'and', 'to', 'in', 'error', 'result'];
  const made = Array.from({ length: 3000 }, () => {
    const n = 2 + Math.floor(random() * 9);
    let w = '';
    for (let i = 0; i < n; i++) w += letters[Math.floor(Math.pow(random(), 1.6) * letters.length)];
    return w;
  });
  return [...common, ...made];
})();

/** ~`size` characters of source-like text: indented lines of words and punctuation (gzip -6 gets about 3.5×; real JavaScript gets 4–5×). */
function textPool(size: number, seed: number): string {
  const random = prng(seed);
  const punct = ['(', ')', '{', '}', ';', ',', '.', ' = ', ' => ', ': ', '[', ']'];
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    // Code repeats itself: now and then a line from a little earlier comes again.
    let line = parts.length > 20 && random() < 0.4 ? parts[parts.length - 1 - Math.floor(random() * 20)]! : '';
    if (!line) {
      line = '  '.repeat(Math.floor(random() * 4));
      const n = 3 + Math.floor(random() * 10);
      for (let i = 0; i < n; i++) {
        line += words[Math.floor(Math.pow(random(), 4) * words.length)]!;
        line += random() < 0.3 ? punct[Math.floor(random() * punct.length)]! : ' ';
      }
      line += '\n';
    }
    parts.push(line);
    length += line.length;
  }
  return parts.join('');
}

/**
 * Creates (once; kept under the OS temp dir, keyed by the spec) a tree of nested directories with
 * source-like text files of log-uniform sizes and some random binary files. Returns its root.
 */
export function ensureTree(spec: TreeSpec, log: (m: string) => void = () => undefined): string {
  const base = join(tmpdir(), `pluginops-bench-tree-${spec.files}-${spec.bytes}-${spec.binaryFiles}-v2`);
  const root = join(base, 'tree');
  if (existsSync(join(base, 'complete'))) return root;
  rmSync(base, { recursive: true, force: true });
  log(`  generating ${spec.files} files, ${(spec.bytes / 1e6).toFixed(0)} MB in ${root} (kept for later runs)`);
  const random = prng(2026);
  const dirs = [''];
  for (let i = 1; i < Math.ceil(spec.files / 20); i++) {
    const parent = dirs[Math.floor(random() * dirs.length)]!;
    dirs.push(`${parent}${parent ? '/' : ''}${parent.split('/').length > 4 ? 'leaf' : 'pkg'}-${i}`);
  }
  const textFiles = spec.files - spec.binaryFiles;
  const drawn = Array.from({ length: textFiles }, () => Math.exp(Math.log(200) + random() * Math.log(64_000 / 200)));
  const scale = (spec.bytes * (1 - spec.binaryShare)) / drawn.reduce((a, b) => a + b, 0);
  const pool = textPool(8 << 20, 11);
  const exts = ['ts', 'js', 'json', 'md', 'py', 'css', 'html', 'sh'];
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (let i = 0; i < textFiles; i++) {
    const ext = exts[Math.floor(random() * exts.length)]!;
    const rel = `${dirs[Math.floor(random() * dirs.length)]}/file-${i}.${ext}`;
    const size = Math.max(16, Math.round(drawn[i]! * scale));
    const start = Math.floor(random() * (pool.length - size - 1));
    const body = `// ${rel}\n` + pool.slice(start, start + size);
    writeFileSync(join(root, rel), body.slice(0, size));
    if (ext === 'sh') chmodSync(join(root, rel), 0o755);
  }
  const binaryAvg = (spec.bytes * spec.binaryShare) / spec.binaryFiles;
  for (let i = 0; i < spec.binaryFiles; i++) {
    const size = Math.round(binaryAvg * (0.25 + 1.5 * random()));
    writeFileSync(join(root, dirs[Math.floor(random() * dirs.length)]!, `blob-${i}.bin`), randomBytes(size));
  }
  writeFileSync(join(base, 'complete'), '');
  return root;
}

const MB = 1e6;

export const buildVsTar: Benchmark = {
  id: 'build-vs-tar',
  title: 'Packaging a ~200 MB, 20,000-file plugin tree: buildArchive vs `tar czf`',
  description: [
    `A generated tree (${defaultTree.files.toLocaleString('en')} files, ~${defaultTree.bytes / MB} MB, ~1,000 nested directories; source-like text files of`,
    `log-uniform sizes 200 B–64 kB plus ${defaultTree.binaryFiles} random binary files holding ${defaultTree.binaryShare * 100}% of the bytes), created once under the OS temp dir`,
    'and kept. Each round runs `tar czf out.tar.gz -C tree .` (GNU tar piping to gzip -6) and `buildArchive` (gzip level 6,',
    'fresh outDir, so no reuse) on the same tree, the order alternating between rounds, outputs deleted between runs;',
    'the tree is read once beforehand so both start from a warm page cache. Throughput is input bytes (file contents) per',
    'second of wall time, median over the rounds; the ratio is pluginops / tar throughput. buildArchive reads every file',
    'twice (a hashing pass, because the file list with every SHA-256 is the first entry, then the packing pass, which',
    're-hashes what it packs); "reuse" is a second build of the unchanged tree into the same outDir: the hashing pass plus',
    'a SHA-256 check of the existing archive, no compression. "CPU" is user + system time (tar: tar + gzip; pluginops: the',
    'whole process, zlib thread included).',
  ].join('\n'),

  async run(ctx: BenchContext): Promise<Row[]> {
    const tree = ensureTree(defaultTree, ctx.log);
    const work = mkdtempSync(join(tmpdir(), 'pluginops-bench-archive-'));
    try {
      await timeCommand('sh', ['-c', 'tar cf - . | cat > /dev/null'], { cwd: tree });
      const rounds = ctx.quick ? 1 : 3;
      const tar = { ms: [] as number[], cpu: [] as number[], size: 0 };
      const ours = { ms: [] as number[], cpu: [] as number[], size: 0 };
      let inputBytes = 0;
      let outDir = '';
      const runTar = async (round: number) => {
        const out = join(work, `tar-${round}.tar.gz`);
        const { ms, cpuMs } = await timeCommand('tar', ['czf', out, '-C', tree, '.'], { cwd: work });
        tar.size = statSync(out).size;
        rmSync(out);
        return { ms, cpuMs };
      };
      const runOurs = async (round: number) => {
        if (outDir) rmSync(outDir, { recursive: true, force: true });
        outDir = join(work, `out-${round}`);
        collectGarbage();
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        const r = await buildArchive({ root: tree, outDir, name: 'pkg' });
        const ms = performance.now() - started;
        const cpu = process.cpuUsage(cpuBefore);
        if (r.reused) throw new Error('a fresh build reused an archive');
        inputBytes = r.bytes;
        ours.size = r.size;
        return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
      };
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? (['tar', 'ours'] as const) : (['ours', 'tar'] as const);
        for (const who of order) {
          const { ms, cpuMs } = who === 'tar' ? await runTar(round) : await runOurs(round);
          (who === 'tar' ? tar : ours).ms.push(ms);
          (who === 'tar' ? tar : ours).cpu.push(cpuMs);
          ctx.log(`  round ${round + 1}: ${who === 'tar' ? 'tar czf' : 'buildArchive'}: ${(ms / 1000).toFixed(2)} s (CPU ${(cpuMs / 1000).toFixed(2)} s)`);
        }
      }

      const reuse: number[] = [];
      for (let i = 0; i < (ctx.quick ? 1 : 3); i++) {
        collectGarbage();
        const started = performance.now();
        const r = await buildArchive({ root: tree, outDir, name: 'pkg' });
        reuse.push(performance.now() - started);
        if (!r.reused) throw new Error('an unchanged tree was packed again instead of reused');
      }
      ctx.log(`  reuse: ${reuse.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}`);

      const mbps = (ms: number) => inputBytes / MB / (ms / 1000);
      const tarMbps = mbps(median(tar.ms));
      const oursMbps = mbps(median(ours.ms));
      const ratio = oursMbps / tarMbps;
      const tarName = 'tar czf (GNU tar | gzip -6)';
      return [
        { name: tarName, value: tarMbps, unit: 'MB/s', samples: tar.ms.map(mbps),
          note: `${(median(tar.ms) / 1000).toFixed(1)} s; CPU ${(median(tar.cpu) / 1000).toFixed(1)} s; archive ${(tar.size / MB).toFixed(1)} MB` },
        { name: 'buildArchive, fresh (gzip 6)', value: oursMbps, unit: 'MB/s', samples: ours.ms.map(mbps),
          baseline: tarName, ratio, goal: `≥ ${goalRatio}× tar throughput`, met: ratio >= goalRatio,
          note: `${(median(ours.ms) / 1000).toFixed(1)} s; CPU ${(median(ours.cpu) / 1000).toFixed(1)} s; archive ${(ours.size / MB).toFixed(1)} MB` },
        { name: 'buildArchive, unchanged input (reuse)', value: median(reuse), unit: 'ms', samples: reuse,
          note: `${mbps(median(reuse)).toFixed(0)} MB/s of input checked` },
      ];
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
