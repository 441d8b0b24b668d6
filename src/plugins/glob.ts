// The glob syntax pluginops reads in exclusion lists (package `exclude`, scan `exclude`), as a
// regular-expression body without anchors; each caller adds its own placement rules.
//   `*` any characters but `/`; `?` one character but `/`; `**/` at the start of a segment any
//   directories or none; `**` elsewhere anything, `/` included; `[abc]`, `[!abc]` and `{a,b}` as in
//   shells. Every other character matches itself.

const special = /[\\^$.|+()[\]{}]/;

export function globBody(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      if (atSegmentStart && glob[i + 2] === '/') { out += '(?:.*/)?'; i += 2; } else { out += '.*'; i += 1; }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const end = glob.indexOf(']', i + 2);
      out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{' && glob.indexOf('}', i) > 0) {
      const end = glob.indexOf('}', i);
      out += `(?:${glob.slice(i + 1, end).split(',').map(globBody).join('|')})`;
      i = end;
    } else out += special.test(c) ? `\\${c}` : c;
  }
  return out;
}
