// A small, safe path into JSON: `data.items[0].name`, `a["key with dots"]`.

export function readPath(value: unknown, path: string): unknown {
  const parts: Array<string | number> = [];
  const re = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"]*)"\]/gy;
  let at = 0;
  for (let m = re.exec(path); m && at < path.length; m = re.exec(path)) {
    parts.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]!));
    at = re.lastIndex;
  }
  if (at !== path.length) throw new RangeError(`"${path}" is not a path such as data.items[0].name`);
  let cur: unknown = value;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}
