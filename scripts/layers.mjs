// The layer rule: the folders under src/ are stacked, and a file may import only from its own
// folder or from a folder in a lower layer. A folder missing from the table, or an import that
// runs sideways or up, is a violation. `node scripts/layers.mjs` prints them and exits 1; the
// test suite runs the same check (test/architecture/layers.test.ts), and docs/architecture.md
// shows this table.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lowest first. Folders in one layer do not import each other. */
export const layers = [
  ['errors'],
  ['store', 'expressions', 'retry'],
  ['documents'],
  ['engine'],
  ['plugins', 'notify', 'tasks'],
  ['project'],
  ['backup', 'risk'],
  ['steps'],
  ['runs'],
  ['monitor'],
  ['journal'],
  ['remediation'],
  ['optimize'],
  ['pg'],
  ['render'],
  ['api'],
  ['ui'],
  ['wiring'],
  ['serve', 'worker'],
  ['cli', 'action'],
];

/**
 * Files only some folders may import, whatever their layer: the closed set of step types is
 * handed down by the composition roots (through wiring/), never reached for from below them.
 */
export const reserved = {
  'steps/registry.ts': ['wiring'],
  'wiring/registry.ts': ['serve', 'cli', 'action'],
};

const rankOf = new Map(layers.flatMap((names, rank) => names.map((name) => [name, rank])));

// Static imports and re-exports (`from '…'`), side-effect imports, and dynamic `import('…')`.
const specifiers = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** The top folder under `src` a path lies in, or undefined for a path outside it (or a file directly in it). */
function folderOf(src, path) {
  const rel = relative(src, path);
  if (rel.startsWith('..') || !rel.includes(sep)) return undefined;
  return rel.split(sep)[0];
}

/**
 * Every import under `src` that breaks the rule: `{ file, line, from, to, message }`, with
 * `file` relative to `src`'s parent.
 */
export function checkLayers(src) {
  const base = dirname(src);
  const out = [];
  for (const file of sources(src)) {
    const from = folderOf(src, file);
    const text = readFileSync(file, 'utf8');
    const at = (index) => text.slice(0, index).split('\n').length;
    const where = relative(base, file);
    if (from === undefined) { out.push({ file: where, line: 1, from: '', to: '', message: 'a file directly under src/; expected it in a topic folder' }); continue; }
    if (!rankOf.has(from)) { out.push({ file: where, line: 1, from, to: '', message: `folder \`${from}\` has no layer; add it to the table in scripts/layers.mjs` }); continue; }
    for (const m of text.matchAll(specifiers)) {
      const target = resolve(dirname(file), m[2]);
      const to = folderOf(src, target);
      if (to === from) continue;
      const line = at(m.index);
      if (to === undefined) { out.push({ file: where, line, from, to: m[2], message: `imports \`${m[2]}\`, outside the folders of src/` }); continue; }
      if (!rankOf.has(to)) { out.push({ file: where, line, from, to, message: `imports from \`${to}\`, a folder with no layer` }); continue; }
      const owners = reserved[relative(src, target).split(sep).join('/')];
      if (owners && !owners.includes(from)) {
        out.push({ file: where, line, from, to, message: `${from}/ imports ${relative(src, target).split(sep).join('/')}, which only ${owners.join(', ')} may import; take it as a parameter instead` });
        continue;
      }
      const up = rankOf.get(to) >= rankOf.get(from);
      if (up) {
        const how = rankOf.get(to) === rankOf.get(from) ? 'a folder in the same layer' : 'a higher layer';
        out.push({ file: where, line, from, to, message: `${from}/ imports ${to}/ (${how}); ${from}/ may import only from: ${below(from).join(', ') || 'nothing'}` });
      }
    }
  }
  return out;
}

const below = (folder) => layers.slice(0, rankOf.get(folder)).flat();

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const problems = checkLayers(src);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  if (problems.length) process.exit(1);
  console.log(`layers: ${sources(src).length} files, every import runs down`);
}
