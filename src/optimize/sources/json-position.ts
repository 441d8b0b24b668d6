// Where JSON text stops being JSON, and why, for text JSON.parse refused: Node's message does not
// always say where ("Unexpected token 'x', "…" is not valid JSON"). A validating scan, one pass
// without recursion (deep nesting cannot overflow the stack), that builds nothing. `lineCol`
// turns the offset into the 1-based line and column an editor shows.
export interface SyntaxProblem { at: number; message: string }

type Want = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const escapes = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

export function jsonSyntaxProblem(text: string): SyntaxProblem | undefined {
  const stack: Array<'{' | '['> = [];
  let want = 'value' as Want;
  let i = 0;
  const after = (): Want => (stack.length ? 'comma-or-close' : 'end');
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
    if (i >= text.length) return want === 'end' ? undefined : { at: i, message: `the text ends early; expected ${expected(want, stack.at(-1))}` };
    const c = text[i]!;
    const wrong = (): SyntaxProblem => ({ at: i, message: `unexpected ${describe(c)}; expected ${expected(want, stack.at(-1))}` });
    switch (want) {
      case 'value': case 'value-or-close': {
        if (want === 'value-or-close' && c === ']') { stack.pop(); i++; want = after(); break; }
        if (c === '{' || c === '[') { stack.push(c); i++; want = c === '{' ? 'key-or-close' : 'value-or-close'; break; }
        const end = c === '"' ? scanString(text, i) : scanAtom(text, i);
        if (typeof end !== 'number') return end ?? wrong();
        i = end;
        want = after();
        break;
      }
      case 'key': case 'key-or-close': {
        if (want === 'key-or-close' && c === '}') { stack.pop(); i++; want = after(); break; }
        if (c !== '"') return wrong();
        const end = scanString(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        want = 'colon';
        break;
      }
      case 'colon':
        if (c !== ':') return wrong();
        i++;
        want = 'value';
        break;
      case 'comma-or-close': {
        const open = stack.at(-1);
        if (c === ',') { i++; want = open === '[' ? 'value' : 'key'; break; }
        if (c !== (open === '[' ? ']' : '}')) return wrong();
        stack.pop();
        i++;
        want = after();
        break;
      }
      case 'end':
        return { at: i, message: `unexpected ${describe(c)} after the end of the JSON value` };
    }
  }
}

/** The offset just past the string starting at `start` (a `"`), or what is wrong with it. */
function scanString(text: string, start: number): number | SyntaxProblem {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return { at: j, message: 'a control character (such as a line break) inside a string; expected it escaped' };
    if (c === 0x5c) {
      const e = text[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return { at: j, message: 'a `\\u` escape without four hex digits' };
        j += 5;
      } else if (e !== undefined && escapes.has(e)) j++;
      else return { at: j, message: `an unknown escape \`\\${e ?? ''}\` in a string` };
    }
  }
  return { at: start, message: 'a string is not closed; expected a `"`' };
}

/** The offset past a number, true, false or null at `start`; undefined when there is none. */
function scanAtom(text: string, start: number): number | undefined {
  for (const word of ['true', 'false', 'null']) if (text.startsWith(word, start)) return start + word.length;
  number.lastIndex = start;
  return number.test(text) ? number.lastIndex : undefined;
}

function expected(want: Want, open: '{' | '[' | undefined): string {
  const close = open === '[' ? ']' : '}';
  switch (want) {
    case 'value': return 'a value';
    case 'value-or-close': return 'a value or `]`';
    case 'key': return 'a property name in double quotes';
    case 'key-or-close': return 'a property name in double quotes or `}`';
    case 'colon': return '`:` after the property name';
    case 'comma-or-close': return `\`,\` or \`${close}\``;
    case 'end': return 'the end of the text';
  }
}

const describe = (c: string): string => (c === '\'' ? '"\'"' : `'${c}'`);

/** A character offset as a 1-based line and column. */
export function lineCol(text: string, at: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) { line++; start = nl + 1; }
  return { line, col: at - start + 1 };
}
