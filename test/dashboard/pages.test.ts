// Every page of the navigation, as people meet it, in a real Chromium against a real `serve`:
// in Korean, in dark mode, at phone width (390 px) — each page answers 200, speaks Korean in its
// frame, has one <h1>, scrolls no wider than the screen, passes axe-core's serious and critical
// rules, and is reachable by keyboard from the skip link. Screenshots go to test-artifacts/.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { navPaths } from '../../src/ui/layout.ts';
import { apiDownDocuments, readToken, serveWorld, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const test = suite('dashboard pages');
let w: ServeWorld;
let browser: Browser;

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 50'], documents: apiDownDocuments({ failureThreshold: 2, channels: ['ops-hook'] }) });
  await w.start(['--cron']);
  browser = await launch();
});
test.after(async () => { await browser?.close(); await w.close(); });

test('each page in Korean, dark, at phone width: Korean frame, one h1, no sideways scroll, no serious axe violation', async () => {
  const ctx = await context(browser, { locale: 'ko-KR', width: 390, height: 844, dark: true });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, w.proc!.url, readToken);
  for (const [key, path] of Object.entries(navPaths)) {
    const res = await page.goto(`${w.proc!.url}${path}`);
    assert.is(res?.status(), 200, path);
    assert.is(await page.getAttribute('html', 'lang'), 'ko', path);
    assert.is(await page.locator('h1').count(), 1, `${path}: one h1`);
    assert.ok(await page.locator('nav[aria-label="주 메뉴"]').count(), `${path}: the Korean menu`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 1, `${path} scrolls ${wide}px sideways at 390 px`);
    assert.equal(await axe(page), [], `${path}: accessibility`);
    await screenshot(page, `phone-ko-dark-${key}`);
  }
  assert.equal(errors, []);
  await ctx.close();
});

test('the keyboard reaches the content first: the skip link moves focus to the main content', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await signIn(page, w.proc!.url, readToken);
  await page.keyboard.press('Tab');
  assert.is(await page.evaluate(() => document.activeElement?.className), 'skip');
  await page.keyboard.press('Enter');
  assert.is(await page.evaluate(() => location.hash), '#main');
  await ctx.close();
});

test.run();
