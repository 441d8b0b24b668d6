// Languages of the dashboard: English and Korean. Each page keeps its own messages as one table
// per language, and the type makes the Korean table name every English key: a label missing in
// one language does not compile.
//
// Which language a page speaks: the switch (`?lang=`, remembered in a cookie), else the browser's
// Accept-Language, else the project's `locale`, else English.
export const locales = ['en', 'ko'] as const;
export type Locale = (typeof locales)[number];

export type Messages<K extends string> = Readonly<Record<Locale, Readonly<Record<K, string>>>>;

export const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (locales as readonly string[]).includes(v);

/** The first of our languages the browser accepts, by its q-values. */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header.split(',').slice(0, 32).map((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), i };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((r) => r.lang).find(isLocale);
}

export function pickLocale(o: { query?: string | null; cookie?: string; acceptLanguage?: string; project?: string }): Locale {
  if (isLocale(o.query)) return o.query;
  if (isLocale(o.cookie)) return o.cookie;
  return fromAcceptLanguage(o.acceptLanguage) ?? (isLocale(o.project) ? o.project : 'en');
}

/** `{name}` in `template` replaced by `vars.name`. */
export function fill(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(vars, k) ? String(vars[k]) : m));
}

/** The translator of one page's messages in one language. */
export const translator = <K extends string>(messages: Messages<K>, locale: Locale) =>
  (key: K, vars?: Readonly<Record<string, string | number>>): string => fill(messages[locale][key], vars);

const intlTag: Record<Locale, string> = { en: 'en-GB', ko: 'ko-KR' };

/**
 * Dates as the server writes them: UTC, in the language's format. The page's script rewrites
 * each `<time datetime>` into the browser's time zone.
 */
export function formatDate(locale: Locale, at: number | string | undefined): string {
  if (at === undefined) return '';
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat(intlTag[locale], { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(ms) + ' UTC';
}

/** Number formats by language and digits: building one costs far more than using it (~0.1 ms each). */
const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(locale: Locale, n: number, digits = 0): string {
  const key = `${locale}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, f = new Intl.NumberFormat(intlTag[locale], { maximumFractionDigits: digits, minimumFractionDigits: digits }));
  return f.format(n);
}

/** 0.9987 → "99.87%". */
export const formatPercent = (locale: Locale, ratio: number, digits = 2): string => `${formatNumber(locale, ratio * 100, digits)}%`;

const units: Record<Locale, { ms: string; s: string; m: string; h: string; d: string }> = {
  en: { ms: 'ms', s: 's', m: 'm', h: 'h', d: 'd' },
  ko: { ms: '밀리초', s: '초', m: '분', h: '시간', d: '일' },
};

/** 1234 → "1.2 s", 90_000 → "1 m 30 s". */
export function formatDuration(locale: Locale, ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const u = units[locale];
  if (ms < 1000) return `${Math.round(ms)} ${u.ms}`;
  if (ms < 60_000) return `${formatNumber(locale, ms / 1000, 1)} ${u.s}`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} ${u.m}${s % 60 ? ` ${s % 60} ${u.s}` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)} ${u.h}${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} ${u.m}` : ''}`;
  return `${Math.floor(s / 86_400)} ${u.d}${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} ${u.h}` : ''}`;
}
