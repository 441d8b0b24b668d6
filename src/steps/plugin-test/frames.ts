// Where in the plugin a failing test points: the frames of a Python traceback, a pytest report or
// a JavaScript stack, and the one that lies in the plugin's own files (not the standard library,
// site-packages or node_modules), as a path relative to the run's workspace.
import { isAbsolute, relative, resolve, sep } from 'node:path';

export interface Frame { path: string; line: number; col?: number }

/** Python's `File "x.py", line 6` (innermost last). */
const pythonFrame = /^\s*File "(.+?)", line (\d+)/;
/** pytest's `tests/test_x.py:15: AssertionError` (innermost last). */
const pytestFrame = /^(\S+\.py):(\d+): [A-Za-z_][\w.]*/;
/** JavaScript's `at f (x.js:6:37)` or `at x.js:6:37` (innermost first). */
const jsFrame = /^\s*at (?:.*? \()?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

export const pythonFrameOf = (line: string): Frame | undefined => {
  const m = pythonFrame.exec(line);
  return m ? { path: m[1]!, line: Number(m[2]) } : undefined;
};

export const pytestFrameOf = (line: string): Frame | undefined => {
  const m = pytestFrame.exec(line);
  return m ? { path: m[1]!, line: Number(m[2]) } : undefined;
};

const jsFrameOf = (line: string): Frame | undefined => {
  const m = jsFrame.exec(line);
  if (!m || m[1]!.startsWith('node:')) return undefined;
  return { path: m[1]!.replace(/^file:\/\//, ''), line: Number(m[2]), col: Number(m[3]) };
};

/** Places paths found in a test's output: `root` is the plugin (relative paths start there), `workspace` the run's. */
export interface Place { root: string; workspace: string }

const foreign = /[\\/](site-packages|dist-packages|node_modules|\.venv|venv)[\\/]/;

/** The frame as a workspace-relative location, when it is a file of the plugin itself. */
export function inPlugin(f: Frame, at: Place): { file: string; line: number; col?: number } | undefined {
  const abs = resolve(at.root, f.path);
  const inRoot = relative(at.root, abs);
  if (inRoot === '' || inRoot.startsWith('..') || isAbsolute(inRoot) || foreign.test(`${sep}${inRoot}`)) return undefined;
  return { file: relative(at.workspace, abs).split(sep).join('/'), line: f.line, ...(f.col !== undefined ? { col: f.col } : {}) };
}

/** The plugin frame a failure report points at: the innermost of the plugin's own frames. */
export function locateIn(text: string, at: Place): { file: string; line: number; col?: number } | undefined {
  const lines = text.split(/\r?\n/);
  const innermostLast = (of: (l: string) => Frame | undefined) => lines.map(of).filter((f) => f !== undefined).map((f) => inPlugin(f, at)).filter((f) => f !== undefined).pop();
  return innermostLast(pythonFrameOf) ?? innermostLast(pytestFrameOf)
    ?? lines.map(jsFrameOf).filter((f) => f !== undefined).map((f) => inPlugin(f, at)).find((f) => f !== undefined);
}
