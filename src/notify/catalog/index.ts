// Message catalogs by locale (`locale:` in pluginops.yml), and durations in a catalog's words.
import type { LocaleName } from '../../documents/schema/project.ts';
import { en } from './en.ts';
import { ko } from './ko.ts';
import { fill, type Catalog } from './types.ts';

export type { Catalog } from './types.ts';
export { fill } from './types.ts';
export type Locale = LocaleName;

export const catalogs = { en, ko } as const satisfies Record<Locale, Catalog>;
export const defaultLocale: Locale = 'en';

export const catalogFor = (locale: Locale | undefined): Catalog => catalogs[locale ?? defaultLocale];

/** Like engine/duration's formatDuration (12.3s, 1m5s, 2h30m), in the catalog's units. */
export function localDuration(ms: number, c: Catalog): string {
  if (ms < 1_000) return fill(c.duration.ms, { n: Math.round(ms) });
  if (ms < 60_000) return fill(c.duration.s, { n: (ms / 1_000).toFixed(ms < 10_000 ? 2 : 1) });
  const m = Math.floor(ms / 60_000), s = Math.round((ms % 60_000) / 1_000);
  if (m < 60) return s ? fill(c.duration.ms2, { m, s }) : fill(c.duration.m, { m });
  const h = Math.floor(m / 60);
  return m % 60 ? fill(c.duration.hm, { h, m: m % 60 }) : fill(c.duration.h, { h });
}
