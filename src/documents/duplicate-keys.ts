// Duplicate keys, found in linear time: one Set per mapping over the scalar key values. (The YAML
// library's own `uniqueKeys` check compares each key with every earlier one, which is quadratic
// in the keys of a mapping.) Keys are the same when their scalar values are, as in the library:
// `1` and `"1"` differ, `a` and `"a"` do not.
import { isMap, isScalar, visit, type Document } from 'yaml';

/** Offsets of every key that repeats an earlier key of its mapping, with the key's text. */
export function duplicateKeys(doc: Document.Parsed): Array<{ offset: number; first: number; key: string }> {
  const found: Array<{ offset: number; first: number; key: string }> = [];
  visit(doc, {
    Map(_k, map) {
      if (!isMap(map)) return;
      const seen = new Map<unknown, number>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        const offset = key.range?.[0] ?? 0;
        const first = seen.get(key.value);
        if (first === undefined) seen.set(key.value, offset);
        else found.push({ offset, first, key: String(key.value) });
      }
    },
  });
  return found;
}
