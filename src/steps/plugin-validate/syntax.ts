// Syntax checks by runtime, each finding with file:line. Python files are compiled by one
// python3 process; JavaScript files by `node --check`; other runtimes by their own command.
import { relative } from 'node:path';
import type { Spawner } from '../../engine/process/spawn.ts';

export interface Finding { file: string; line: number; col: number; message: string; title?: string }

const pyChecker = `
import sys, json, os, py_compile, tempfile
out = []
scratch = os.path.join(tempfile.mkdtemp(prefix='pluginops-pyc-'), 'check.pyc')
for path in sys.argv[1:]:
    try:
        py_compile.compile(path, doraise=True, cfile=scratch)
    except py_compile.PyCompileError as e:
        v = e.exc_value
        out.append({"file": path, "line": getattr(v, "lineno", None) or 1, "col": getattr(v, "offset", None) or 1, "message": "%s: %s" % (e.exc_type_name, getattr(v, "msg", str(v)))})
try:
    os.remove(scratch)
    os.rmdir(os.path.dirname(scratch))
except OSError:
    pass
print(json.dumps(out))
`;

interface Runner { spawn: Spawner; signal: AbortSignal; killGraceMs: number; env: Record<string, string>; cwd: string }

async function capture(r: Runner, command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const res = await r.spawn({ command, args, cwd: r.cwd, env: { ...r.env, ...env }, signal: r.signal, killGraceMs: r.killGraceMs,
    onLine: (s, l) => (s === 'stdout' ? out : err).push(l) });
  return { code: res.exitCode, out, err };
}

export async function checkPython(r: Runner, root: string, files: string[]): Promise<Finding[]> {
  if (files.length === 0) return [];
  const res = await capture(r, 'python3', ['-c', pyChecker, ...files]);
  if (res.code !== 0) return [{ file: '.', line: 1, col: 1, message: `python3 could not check the sources: ${res.err.slice(-1)[0] ?? `exit ${res.code}`}` }];
  const found = JSON.parse(res.out.join('\n') || '[]') as Finding[];
  return found.map((f) => ({ ...f, file: relative(root, f.file) }));
}

export async function checkNode(r: Runner, root: string, files: string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of files) {
    const res = await capture(r, process.execPath, ['--check', file]);
    if (res.code === 0) continue;
    // node prints "<file>:<line>" on the first line, then the source line, a caret, the error.
    const where = /:(\d+)$/.exec(res.err[0] ?? '');
    const caret = res.err.find((l) => /^\s*\^+\s*$/.test(l));
    const message = res.err.find((l) => /Error:/.test(l)) ?? 'syntax error';
    findings.push({ file: relative(root, file), line: where ? Number(where[1]) : 1, col: caret ? caret.indexOf('^') + 1 : 1, message: message.trim() });
  }
  return findings;
}

export async function checkWithCommand(r: Runner, root: string, files: string[], command: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of files) {
    const res = await capture(r, 'sh', ['-c', command], { PLUGINOPS_FILE: file });
    if (res.code !== 0) findings.push({ file: relative(root, file), line: 1, col: 1, message: (res.err[0] ?? `the syntax check exited with ${res.code}`).trim() });
  }
  return findings;
}
