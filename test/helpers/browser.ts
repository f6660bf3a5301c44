/**
 * Debian's Chromium driven by playwright-core, for the report's browser tests: no browser is
 * downloaded (`.ci/run` installs the `chromium` package). Launched with the flags this machine
 * needs: no sandbox as root, and no background networking (its connections are refused here and
 * would show as noise). Each page records console errors, uncaught exceptions and every request
 * that is not the page's own file, so a test can say the page made none.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.VIZMETA_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium), as .ci/run does, or set VIZMETA_CHROMIUM`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Every request other than for the page's own file. */
  requests: string[];
  /** Dialogs (alert, confirm) the page opened: a script that ran where none should. */
  dialogs: string[];
}

export async function openPage(browser: Browser, file: string, options: { javaScript?: boolean; width?: number; height?: number } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1400, height: options.height ?? 900 } });
  const page = await context.newPage();
  const watched: WatchedPage = { page, errors: [], requests: [], dialogs: [] };
  const own = `file://${file}`;
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(String(error)));
  page.on('request', (request) => {
    if (request.url() !== own) watched.requests.push(request.url());
  });
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(own);
  return watched;
}
