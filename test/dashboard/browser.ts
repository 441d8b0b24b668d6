// A real headless Chromium (Debian's, at /usr/bin/chromium, or CHROMIUM_PATH) driven by playwright-core, for the
// dashboard's tests against a real `serve` child process on loopback (test/serve/helpers.ts).
// Also: signing in through the page's form, an accessibility scan with axe-core injected into
// the page, and screenshots written as test artifacts (test-artifacts/dashboard/).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifactDir = join(root, 'test-artifacts', 'dashboard');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's chromium; `CHROMIUM_PATH` names another Chromium-based browser (e.g. Chrome on a hosted runner). */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser profile (cookies, language) on `base`. */
export async function context(browser: Browser, o: { locale?: string; width?: number; height?: number; dark?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    locale: o.locale ?? 'en-GB',
    viewport: { width: o.width ?? 1280, height: o.height ?? 900 },
    colorScheme: o.dark ? 'dark' : 'light',
  });
}

/** Signs in through the sign-in form with `token`; the page ends on `next` (default the overview). */
export async function signIn(page: Page, base: string, token: string, next = '/'): Promise<void> {
  await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
  await page.fill('#token', token);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/sign-in'), page.click('form[action="/sign-in"] button[type=submit]')]);
}

export interface Violation { id: string; impact: string; help: string; nodes: string[] }

/** Serious and critical accessibility violations on the page as it is now. */
export async function axe(page: Page): Promise<Violation[]> {
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(o: object): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } };
    const r = await w.axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A full-page screenshot in test-artifacts/dashboard/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactDir, { recursive: true });
  const path = join(artifactDir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
