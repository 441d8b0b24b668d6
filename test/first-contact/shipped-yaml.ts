// Every YAML text the project ships, found by walking the repository (a new file is covered
// without listing it anywhere): *.yml and *.yaml files, and the ```yaml blocks of Markdown files.
// Each text is checked by the parsers users' tools run on it: the `yaml` package, strictly, and
// PyYAML (the same rules as GitHub's runner and yaml-language-server for plain scalars).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface YamlText {
  /** Where the text is, as `file` or `file:line` for a Markdown block (the block's first line). */
  name: string;
  file: string;
  /** Line of the text's first line in `file` (1 for a whole file). */
  firstLine: number;
  text: string;
  /** A Markdown block that is not a whole document (it starts indented, e.g. a step of a list). */
  fragment: boolean;
}

/** Folders that hold no shipped text: dependencies, build output, test fixtures, local state. */
const skipped = new Set(['node_modules', '.git', 'dist', 'test', '.pluginops', '.scratch', 'out']);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return skipped.has(e.name) || (e.name.startsWith('.') && e.name !== '.github') ? [] : walk(p);
    return e.isFile() ? [p] : [];
  });
}

/** The fenced ```yaml / ```yml blocks of a Markdown text, with the line each body starts on. */
export function markdownBlocks(markdown: string): Array<{ line: number; text: string }> {
  const lines = markdown.split(/\r?\n/);
  const blocks: Array<{ line: number; text: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(yaml|yml)\b.*$/i.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const close = new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`);
    const body: string[] = [];
    const start = i + 2;
    for (i++; i < lines.length && !close.test(lines[i]!); i++) body.push(lines[i]!);
    // A block inside a list item is indented like the item: take that indentation off.
    const indent = open[1]!.length;
    blocks.push({ line: start, text: body.map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n') + '\n' });
  }
  return blocks;
}

export function shippedYaml(root: string): YamlText[] {
  const out: YamlText[] = [];
  for (const path of walk(root).sort()) {
    const file = relative(root, path).split(sep).join('/');
    if (/\.ya?ml$/i.test(file)) out.push({ name: file, file, firstLine: 1, text: readFileSync(path, 'utf8'), fragment: false });
    else if (/\.md$/i.test(file)) {
      for (const b of markdownBlocks(readFileSync(path, 'utf8'))) {
        out.push({ name: `${file}:${b.line}`, file, firstLine: b.line, text: b.text, fragment: /^[ \t]+\S/.test(b.text.split('\n').find((l) => l.trim() && !l.trimStart().startsWith('#')) ?? '') });
      }
    }
  }
  return out;
}

/** Errors and warnings of the `yaml` package (YAML 1.2, strict, duplicate keys refused), at file:line:col. */
export function yamlPackageProblems(t: YamlText): string[] {
  const parsed = parseAllDocuments(t.text, { uniqueKeys: true, strict: true, prettyErrors: true });
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  return docs.flatMap((d) => [...d.errors, ...d.warnings]).map((e) => {
    const at = e.linePos?.[0];
    return `${t.file}:${at ? at.line + t.firstLine - 1 : t.firstLine}:${at?.col ?? 1}: ${e.code} ${e.message.split('\n')[0]}`;
  });
}

const pyChecker = `
import json, sys
try:
    import yaml
except ImportError as e:
    print(json.dumps({"missing": str(e)}))
    sys.exit(0)
out = {}
for item in json.load(sys.stdin):
    try:
        for _ in yaml.safe_load_all(item["text"]):
            pass
        out[item["name"]] = None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        out[item["name"]] = {"line": mark.line + 1 if mark else 1, "col": mark.column + 1 if mark else 1, "message": " ".join(str(e).split())}
print(json.dumps({"version": yaml.__version__, "results": out}))
`;

export type PyYamlResults = { ok: true; version: string; problems: Map<string, string | undefined> } | { ok: false; why: string };

/** Loads every text with PyYAML's safe_load_all in one python3 process (`python` lets a test start it without site-packages). */
export function pyYamlProblems(texts: readonly YamlText[], python: readonly string[] = ['python3']): PyYamlResults {
  const r = spawnSync(python[0]!, [...python.slice(1), '-c', pyChecker], { input: JSON.stringify(texts.map((t) => ({ name: t.name, text: t.text }))), encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { ok: false, why: `python3 could not be started (${r.error.message}); these checks need python3 with PyYAML (Debian: apt-get install python3-yaml)` };
  if (r.status !== 0) return { ok: false, why: `python3 exited with ${r.status}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  const answer = JSON.parse(r.stdout) as { missing?: string; version?: string; results?: Record<string, { line: number; col: number; message: string } | null> };
  if (answer.missing) return { ok: false, why: `PyYAML is not installed for python3 (${answer.missing}); these checks need it (Debian: apt-get install python3-yaml; or pip install pyyaml)` };
  const byName = new Map(texts.map((t) => [t.name, t]));
  const problems = new Map<string, string | undefined>();
  for (const [name, p] of Object.entries(answer.results ?? {})) {
    const t = byName.get(name)!;
    problems.set(name, p ? `${t.file}:${p.line + t.firstLine - 1}:${p.col}: ${p.message}` : undefined);
  }
  return { ok: true, version: answer.version ?? '?', problems };
}
