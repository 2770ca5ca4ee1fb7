/**
 * Debian's chromium driven by playwright-core, for the admin's browser tests. playwright-core
 * needs Node ≥ 20 (it exits the process on import under 18), so it is imported only when the
 * tests run: on the Node 18 pass of `npm test` these files skip with the reason instead. The
 * bundle itself runs on Node 18 in every other e2e test.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null. */
export function browserProblem(): string | null {
  if (Number(process.versions.node.split('.')[0]) < 20) return `playwright-core needs Node ≥ 20, this is ${process.version}`;
  return existsSync(CHROMIUM) ? null : `no ${CHROMIUM} (bash scripts/setup.sh installs it)`;
}

/** Launches headless chromium as the tests use it. */
async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'], timeout: 30_000 });
}

/** Where screenshots go, created: $SCREENSHOTS_DIR (docs/screenshots/ when refreshing the docs) or `shots` under the test's temp dir. */
export function screenshotsDir(dir: string): string {
  const shots = process.env.SCREENSHOTS_DIR ? path.resolve(process.env.SCREENSHOTS_DIR) : path.join(dir, 'shots');
  mkdirSync(shots, { recursive: true });
  return shots;
}

/** Waits (up to 5 s) until the admin server at `base` answers /api/health. */
async function waitForAdmin(base: string): Promise<void> {
  for (let i = 0; i < 50 && !(await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 100));
}

/** A 1280×860 desktop page with a 10 s default timeout; console errors and page errors go to `errors`. */
async function openDesktopPage(browser: Browser, errors: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  // CSP refusals and script errors show up here: a page that needs inline code would log them.
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page };
}

/** Logs in through the login page at `base` and waits for the dashboard. */
export async function logIn(page: Page, base: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Admin password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/`);
}

/**
 * The admin tests' beforeAll browser part: waits for the admin at `base`, launches chromium and opens
 * a desktop page (errors to `errors`), logged in when given the password. On a failure the browser is
 * closed here, since the caller never got it.
 */
export async function openAdmin(base: string, errors: string[], password?: string): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  await waitForAdmin(base);
  const browser = await launchChromium();
  try {
    const { context, page } = await openDesktopPage(browser, errors);
    if (password !== undefined) await logIn(page, base, password);
    return { browser, context, page };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/**
 * The admin tests' afterAll: closes the browser, stops the servers in the order given and removes the
 * temp dir. Each part may be unset, when beforeAll failed before making it.
 */
export async function closeAdmin(parts: { browser?: Browser; servers: ({ stop(): Promise<void> } | undefined)[]; dir?: string }): Promise<void> {
  await parts.browser?.close();
  for (const server of parts.servers) await server?.stop();
  if (parts.dir) rmSync(parts.dir, { recursive: true, force: true });
}
