// What one document file (or API body) may cost to parse. Every YAML text is checked against
// these before the YAML library sees it, so a parse is bounded in time and memory whatever the
// input: a file past `maxBytes` is not even read, and a text nested deeper than `maxDepth` or
// holding more than `maxNodes` keys and items is refused by a linear pre-scan (prescan.ts).

export interface ParseLimits {
  /** Largest file or body, in bytes (UTF-8). */
  maxBytes: number;
  /** Deepest nesting of collections (block indentation levels plus open `[` / `{`). */
  maxDepth: number;
  /** Most keys, list items and documents in one file. */
  maxNodes: number;
}

export const defaultLimits: ParseLimits = { maxBytes: 1024 * 1024, maxDepth: 64, maxNodes: 50_000 };

/** `limits` with anything left out taken from the defaults. */
export const withDefaults = (limits: Partial<ParseLimits> = {}): ParseLimits => ({ ...defaultLimits, ...definedOnly(limits) });

const definedOnly = (o: Partial<ParseLimits>): Partial<ParseLimits> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const formatBytes = (n: number): string =>
  n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
