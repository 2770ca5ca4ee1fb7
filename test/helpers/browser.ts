/**
 * Debian's chromium driven by playwright-core, for the admin's browser tests. playwright-core
 * needs Node ≥ 20 (it exits the process on import under 18), so it is imported only when the
 * tests run: on the Node 18 pass of `npm test` these files skip with the reason instead. The
 * bundle itself runs on Node 18 in every other e2e test.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null. */
export function browserProblem(): string | null {
  if (Number(process.versions.node.split('.')[0]) < 20) return `playwright-core needs Node ≥ 20, this is ${process.version}`;
  return existsSync(CHROMIUM) ? null : `no ${CHROMIUM} (bash scripts/setup.sh installs it)`;
}

/** Launches headless chromium as the tests use it. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'], timeout: 30_000 });
}
