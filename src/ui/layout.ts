// The frame around every page: the head (styles, the script, the CSRF token), the header with
// the navigation, the language switch and who is signed in, the main content, and a live region
// where the script announces what an action did.
import { html, type Html } from './html.ts';
import { translator, type Locale, type Messages } from './i18n.ts';
import type { NavKey, Topic } from './page.ts';
import { assetUrl } from './assets.ts';

const text: Messages<NavKey | 'skip' | 'signOut' | 'signedInAs' | 'anonymous' | 'language' | 'menu' | 'brand'> = {
  en: {
    overview: 'Overview', executions: 'Executions', statistics: 'Statistics', checks: 'Checks', incidents: 'Incidents',
    approvals: 'Approvals', runbooks: 'Runbooks', selfHealing: 'Self-healing', optimization: 'Optimization', workers: 'Workers',
    skip: 'Skip to content', signOut: 'Sign out', signedInAs: 'Signed in as {name}', anonymous: 'Read-only (anonymous)',
    language: 'Language', menu: 'Main menu', brand: 'pluginops',
  },
  ko: {
    overview: '개요', executions: '실행', statistics: '통계', checks: '헬스 체크', incidents: '인시던트',
    approvals: '승인', runbooks: '런북', selfHealing: '자가 치유', optimization: '최적화', workers: '워커',
    skip: '본문으로 건너뛰기', signOut: '로그아웃', signedInAs: '{name}(으)로 로그인됨', anonymous: '읽기 전용(익명)',
    language: '언어', menu: '주 메뉴', brand: 'pluginops',
  },
};

export const navPaths: Readonly<Record<NavKey, string>> = {
  overview: '/', executions: '/executions', statistics: '/statistics', checks: '/checks', incidents: '/incidents',
  approvals: '/approvals', runbooks: '/runbooks', selfHealing: '/self-healing', optimization: '/optimization', workers: '/workers',
};

export interface Frame {
  locale: Locale;
  title: string;
  main: Html;
  nav?: NavKey;
  live?: readonly Topic[];
  /** Present when signed in: the name and the CSRF token forms and scripts send. */
  session?: { name: string; csrf: string };
  /** The current path and query, for the language links. */
  here: string;
  /** Hide the navigation (sign-in page). */
  bare?: boolean;
}

/** `here` with `lang` set to `locale`. */
function withLang(here: string, locale: Locale): string {
  const [path = '/', query = ''] = here.split('?', 2);
  const q = new URLSearchParams(query);
  q.set('lang', locale);
  return `${path}?${q.toString()}`;
}

export function layout(f: Frame): Html {
  const t = translator(text, f.locale);
  return html`<!doctype html>
<html lang="${f.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
${f.session && html`<meta name="csrf-token" content="${f.session.csrf}">`}
<title>${f.title} · pluginops</title>
<link rel="stylesheet" href="${assetUrl('app.css')}">
<link rel="icon" href="${assetUrl('icon.svg')}" type="image/svg+xml">
<script type="module" src="${assetUrl('app.js')}"></script>
</head>
<body>
<a class="skip" href="#main">${t('skip')}</a>
<header class="top">
  <a class="brand" href="/">${t('brand')}</a>
  ${!f.bare && html`<nav aria-label="${t('menu')}"><ul>
    ${(Object.keys(navPaths) as NavKey[]).map((k) => html`<li><a href="${navPaths[k]}"${k === f.nav ? html` aria-current="page"` : ''}>${t(k)}</a></li>`)}
  </ul></nav>`}
  <div class="who">
    <span class="lang" role="group" aria-label="${t('language')}">
      <a href="${withLang(f.here, 'en')}" hreflang="en" lang="en"${f.locale === 'en' ? html` aria-current="true"` : ''}>English</a>
      <a href="${withLang(f.here, 'ko')}" hreflang="ko" lang="ko"${f.locale === 'ko' ? html` aria-current="true"` : ''}>한국어</a>
    </span>
    ${!f.bare && (f.session
      ? html`<span class="user">${t('signedInAs', { name: f.session.name })}</span>
        <form method="post" action="/sign-out" class="inline"><input type="hidden" name="csrf" value="${f.session.csrf}"><button type="submit" class="link">${t('signOut')}</button></form>`
      : html`<span class="user">${t('anonymous')}</span>`)}
  </div>
</header>
<main id="main" tabindex="-1"${f.live?.length ? html` data-live="${f.live.join(' ')}"` : ''}>
${f.main}
</main>
<div id="flash" role="status" aria-live="polite"></div>
</body>
</html>
`;
}
