// The pages every dashboard has whatever else it shows: signing in, and an error (404 for an
// unknown page or id, 403, 400…), each in both languages.
import { html, prose } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';
import type { PageBody } from '../page.ts';

const text: Messages<'signInTitle' | 'signInIntro' | 'token' | 'signIn' | 'badToken' | 'badOrigin' | 'noTokens' | 'expired'
  | 'notFound' | 'notFoundText' | 'error' | 'forbidden' | 'home'> = {
  en: {
    signInTitle: 'Sign in', signInIntro: 'Sign in with an API token from `server.tokens`. A read token shows the pages; a write or admin token also lets you act.',
    token: 'API token', signIn: 'Sign in', badToken: 'That token matches none of the configured tokens.',
    badOrigin: 'Signing in from another site is not allowed.',
    noTokens: 'No API tokens are configured. Add `server.tokens` to pluginops.yml (each token in an environment variable), or set `server.anonymousRead: true` to let anyone read.',
    expired: 'Your session has ended. Sign in again.',
    notFound: 'Not found', notFoundText: 'There is no such page, or nothing with that id.', error: 'Error {status}',
    forbidden: 'Not allowed', home: 'Back to the overview',
  },
  ko: {
    signInTitle: '로그인', signInIntro: '`server.tokens`의 API 토큰으로 로그인하세요. 읽기 토큰은 페이지를 볼 수 있고, 쓰기 또는 관리자 토큰은 작업도 할 수 있습니다.',
    token: 'API 토큰', signIn: '로그인', badToken: '설정된 토큰 중 일치하는 토큰이 없습니다.',
    badOrigin: '다른 사이트에서 로그인할 수 없습니다.',
    noTokens: 'API 토큰이 설정되어 있지 않습니다. pluginops.yml에 `server.tokens`를 추가하거나(각 토큰은 환경 변수에), 누구나 읽을 수 있도록 `server.anonymousRead: true`를 설정하세요.',
    expired: '세션이 끝났습니다. 다시 로그인하세요.',
    notFound: '찾을 수 없음', notFoundText: '그런 페이지가 없거나 해당 ID의 항목이 없습니다.', error: '오류 {status}',
    forbidden: '허용되지 않음', home: '개요로 돌아가기',
  },
};

export function signInPage(locale: Locale, o: { next: string; error?: 'token' | 'origin'; tokensConfigured: boolean; expired: boolean }): PageBody {
  const t = translator(text, locale);
  return {
    title: t('signInTitle'),
    main: html`<section class="sign-in">
      <h1>${t('signInTitle')}</h1>
      ${o.error && html`<p class="badge bad" role="alert">${t(o.error === 'token' ? 'badToken' : 'badOrigin')}</p>`}
      ${o.expired && !o.error && html`<p class="note">${t('expired')}</p>`}
      ${o.tokensConfigured ? html`<p>${prose(t('signInIntro'))}</p>
      <form method="post" action="/sign-in" class="stack">
        <input type="hidden" name="next" value="${o.next}">
        <label for="token">${t('token')}</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="4096">
        <button type="submit" class="primary">${t('signIn')}</button>
      </form>` : html`<p>${prose(t('noTokens'))}</p>`}
    </section>`,
  };
}

export function errorPage(locale: Locale, status: number, message?: string): PageBody {
  const t = translator(text, locale);
  const title = status === 404 ? t('notFound') : status === 403 ? t('forbidden') : t('error', { status });
  return {
    title, status,
    main: html`<h1>${title}</h1>
      <p>${status === 404 ? t('notFoundText') : ''}</p>
      ${message && html`<p class="note">${message}</p>`}
      <p><a href="/">${t('home')}</a></p>`,
  };
}
