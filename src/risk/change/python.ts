// The cyclomatic complexity of Python functions, measured by Python's own parser: one python3
// process for all the files (sources in as JSON on stdin, measures out as JSON on stdout),
// bounded in time. When python3 is missing, fails or runs out of time, the files are listed as
// unmeasured with the reason; that is never an error.
import { spawn } from 'node:child_process';
import type { FunctionComplexity } from '../../store/risk.ts';
import { maxFunctions, pythonTimeoutMs } from './limits.ts';
import { admit, type Measured, type SourceFile } from './measure.ts';
import { pythonSource } from './python-source.ts';

export interface PythonOptions {
  /** The interpreter; default `python3`. */
  python?: string;
  /** Aborting it stops the process and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Default 20 s; the process is killed after it and the files are unmeasured. */
  timeoutMs?: number;
}

export async function measurePython(files: readonly SourceFile[], o: PythonOptions = {}): Promise<Measured> {
  const { measurable, unmeasured } = admit(files);
  if (measurable.length === 0) return { functions: [], unmeasured };
  const input = JSON.stringify(measurable.map((f) => ({ file: f.file, text: f.text, changed: f.changed?.map((r) => [r.start, r.end]) ?? null })));
  const python = o.python ?? 'python3';
  const run = await runPython(python, input, o);
  const answers = 'failed' in run ? run : readAnswers(run.stdout, measurable.length, python);
  if ('failed' in answers) {
    return { functions: [], unmeasured: [...unmeasured, ...measurable.map((f) => ({ file: f.file, reason: answers.failed }))] };
  }
  const functions: FunctionComplexity[] = [];
  measurable.forEach((f, i) => {
    const answer = answers.list[i]!;
    if ('error' in answer) unmeasured.push({ file: f.file, reason: answer.error });
    else functions.push(...answer.functions.map((fn): FunctionComplexity => ({ file: f.file, ...fn, language: 'python' })));
  });
  return { functions, unmeasured };
}

interface Found { name: string; line: number; endLine: number; complexity: number }
type Answer = { functions: Found[] } | { error: string };

const maxAnswerBytes = 8 * 1024 * 1024;

function runPython(python: string, input: string, o: PythonOptions): Promise<{ stdout: string } | { failed: string }> {
  const timeoutMs = o.timeoutMs ?? pythonTimeoutMs;
  const timer = AbortSignal.timeout(timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timer]) : timer;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (r: { stdout: string } | { failed: string }) => {
      if (settled) return;
      settled = true;
      if (o.signal?.aborted) reject(o.signal.reason); else resolve(r);
    };
    const timedOut = () => ({ failed: `${python} did not finish within ${timeoutMs / 1000} s and was stopped` });
    // -I: no user site, no PYTHON* variables, no current directory on the path. Only PATH and
    // HOME are passed (to find the interpreter), nothing else from this process's environment.
    const env = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...(process.env.HOME ? { HOME: process.env.HOME } : {}) };
    const child = spawn(python, ['-I', '-W', 'ignore', '-c', pythonSource, String(maxFunctions)], {
      signal, killSignal: 'SIGKILL', stdio: ['pipe', 'pipe', 'pipe'], env,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes <= maxAnswerBytes) out.push(d);
      else { child.kill('SIGKILL'); settle({ failed: `${python} answered more than ${maxAnswerBytes} bytes` }); }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-2000); });
    child.once('error', (e: NodeJS.ErrnoException) => settle(
      timer.aborted ? timedOut()
        : e.code === 'ENOENT' ? { failed: `${python} was not found; Python 3 is needed to measure the complexity of Python files` }
          : { failed: `could not run ${python}: ${e.message}` }));
    child.once('close', (code, sig) => settle(
      code === 0 ? { stdout: Buffer.concat(out).toString('utf8') }
        : timer.aborted ? timedOut()
          : { failed: `${python} failed (${code === null ? sig : `exit ${code}`}): ${lastLine(stderr) || 'no message'}` }));
    child.stdin.on('error', () => { /* it may exit before reading everything; its exit says why */ });
    child.stdin.end(input);
  });
}

const lastLine = (text: string) => text.trim().split('\n').pop()?.trim() ?? '';

function readAnswers(stdout: string, expected: number, python: string): { list: Answer[] } | { failed: string } {
  let parsed: unknown;
  try { parsed = JSON.parse(stdout); } catch { return { failed: `${python} gave an answer that is not JSON` }; }
  if (!Array.isArray(parsed) || parsed.length !== expected || !parsed.every(isAnswer)) {
    return { failed: `${python} gave an unexpected answer; expected ${expected} results` };
  }
  return { list: parsed };
}

function isAnswer(v: unknown): v is Answer {
  if (typeof v !== 'object' || v === null) return false;
  if ('error' in v) return typeof v.error === 'string';
  return 'functions' in v && Array.isArray(v.functions) && v.functions.every(isFound);
}

function isFound(v: unknown): v is Found {
  return typeof v === 'object' && v !== null
    && 'name' in v && typeof v.name === 'string'
    && 'line' in v && typeof v.line === 'number'
    && 'endLine' in v && typeof v.endLine === 'number'
    && 'complexity' in v && typeof v.complexity === 'number';
}
