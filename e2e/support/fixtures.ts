/**
 * The `test` every browser test uses. It watches every page of every browser context a test opens
 * and fails the test on a Content-Security-Policy violation or an uncaught page error, so each
 * journey also proves the app runs under its policy (script-src 'self', nothing from other sites).
 */
import { test as base, expect, type BrowserContext, type BrowserContextOptions } from '@playwright/test';

export { expect };

/** Violations are reported by the browser both as console messages and as DOM events. */
const CSP_CONSOLE = /Content[- ]Security[- ]Policy|\[csp-violation\]/i;

/** Turns each `securitypolicyviolation` event into a console message the test can hear. */
function reportViolations() {
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`[csp-violation] ${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} on ${event.documentURI}`);
  });
}

export async function watchContext(context: BrowserContext, problems: string[], label: string): Promise<void> {
  await context.addInitScript(reportViolations);
  context.on('console', (message) => {
    const text = message.text();
    if (CSP_CONSOLE.test(text)) problems.push(`[${label}] CSP: ${text}`);
  });
  context.on('weberror', (webError) => {
    const error = webError.error();
    problems.push(`[${label}] page error on ${webError.page()?.url() ?? 'a page'}: ${error.stack ?? error.message}`);
  });
}

export interface Fixtures {
  /** CSP violations and page errors seen so far; the test fails if any are left at its end. */
  browserProblems: string[];
  /** Opens another browser context (another device), watched like the default one and closed after the test. */
  newContext: (options?: BrowserContextOptions & { label?: string }) => Promise<BrowserContext>;
}

export const test = base.extend<Fixtures>({
  // Fixed locale and time zone, so dates shown by the app are predictable.
  locale: 'en-GB',
  timezoneId: 'Europe/London',

  // eslint-disable-next-line no-empty-pattern -- Playwright requires an object pattern, even when empty.
  browserProblems: async ({}, use, testInfo) => {
    const problems: string[] = [];
    await use(problems);
    if (problems.length > 0) {
      await testInfo.attach('browser-problems', { body: problems.join('\n\n'), contentType: 'text/plain' });
    }
    expect(problems, 'Content-Security-Policy violations or page errors during the test').toEqual([]);
  },

  context: async ({ context, browserProblems }, use) => {
    await watchContext(context, browserProblems, 'page');
    await use(context);
  },

  newContext: async ({ browser, browserProblems, baseURL, locale, timezoneId }, use) => {
    const opened: BrowserContext[] = [];
    let count = 0;
    await use(async ({ label, ...options } = {}) => {
      count += 1;
      const context = await browser.newContext({ baseURL, locale, timezoneId, ...options });
      await watchContext(context, browserProblems, label ?? `context ${count}`);
      opened.push(context);
      return context;
    });
    // Closing the contexts first lets their last events reach browserProblems before it is checked.
    for (const context of opened) await context.close();
  },
});
