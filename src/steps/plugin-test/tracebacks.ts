// Failures in a test run's output, read line by line as they come (memory stays bounded): Python
// tracebacks (unittest, plain scripts, import errors) and pytest's `file.py:N: Error` lines, each
// becoming a problem at the innermost frame in the plugin's own files.
import type { LocatedProblem } from '../../engine/events.ts';
import { inPlugin, pytestFrameOf, pythonFrameOf, type Frame, type Place } from './frames.ts';

export interface FailureReader {
  line(text: string): void;
  problems(): LocatedProblem[];
}

/** Problems kept from one stream; a run that fails everywhere still ends in a bounded list. */
export const maxProblems = 50;

export function failureReader(at: Place): FailureReader {
  const found: LocatedProblem[] = [];
  /** unittest's `FAIL: test_x (module.Class.test_x)` names the test the next traceback belongs to. */
  let test: { kind: 'FAIL' | 'ERROR'; name: string } | undefined;
  let frames: Frame[] | undefined;
  /** pytest's report of one test: `___ name ___`, frames as `file.py:N: in f`, `E   …` lines, then `file.py:N: Error`. */
  let pytest: { name?: string; frames: Frame[]; message?: string } = { frames: [] };

  /** A problem at the innermost of the frames that lie in the plugin's own files. */
  const add = (frames: readonly Frame[], message: string, title: string) => {
    const where = frames.map((f) => inPlugin(f, at)).filter((f) => f !== undefined).pop();
    if (!where || found.length >= maxProblems) return;
    found.push({ ...where, message, title });
  };

  const flushPytest = () => {
    if (pytest.message !== undefined) add(pytest.frames, pytest.name ? `${pytest.name}: ${pytest.message}` : pytest.message, 'test failed');
    pytest = { frames: [] };
  };

  return {
    line(text) {
      if (frames) {
        const frame = pythonFrameOf(text);
        if (frame) { frames.push(frame); return; }
        if (/^\s/.test(text) || text === '') return;
        // The first line back at the margin is the exception: the traceback ends with it.
        add(frames, test ? `${test.name}: ${text.trim()}` : text.trim(), test ? (test.kind === 'FAIL' ? 'test failed' : 'test error') : 'error');
        frames = undefined;
        if (!/^Traceback \(most recent call last\):/.test(text)) return;
      }
      if (/^Traceback \(most recent call last\):\s*$/.test(text)) { frames = []; return; }
      const header = /^(FAIL|ERROR): (.+)$/.exec(text);
      if (header) { test = { kind: header[1] === 'FAIL' ? 'FAIL' : 'ERROR', name: header[2]!.trim() }; return; }
      const section = /^_{3,} (.+?) _{3,}$/.exec(text) ?? /^={3,}/.exec(text);
      if (section) { flushPytest(); pytest = { name: section[1], frames: [] }; return; }
      const e = /^E\s+(\S.*)$/.exec(text);
      if (e) {
        // A collection error quotes Python's own frames and exception in its `E` lines.
        const quoted = pythonFrameOf(e[1]!);
        if (quoted) pytest.frames.push(quoted);
        else if (pytest.message === undefined || /^[A-Z]\w*(Error|Exception)\b/.test(e[1]!)) pytest.message = e[1]!;
        return;
      }
      const frame = pytestFrameOf(text);
      if (!frame) return;
      pytest.frames.push(frame);
      if (pytest.message !== undefined) flushPytest();
    },
    problems: () => { flushPytest(); return found; },
  };
}
