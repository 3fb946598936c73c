/**
 * The account journeys of SPEC section 3: sign up and verify the address (R-ACC-3), sign out,
 * reset a forgotten password (R-ACC-2), "This wasn't me" (R-SES-3), and the sign-in page on a phone.
 */
import type { Page, Route } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import {
  createAccount,
  followMailboxLink,
  newPassword,
  newPerson,
  signIn,
  signInThroughApi,
  signUp,
  USER_AGENTS,
} from './support/helpers.ts';

/**
 * Recreates a slow network on the verification page: its session request is read by the server
 * before the emailed token is confirmed, and its answer reaches the page only after the page shows
 * the confirmation. (A page that waits for its session before sending the token never gets here:
 * its session answer is delivered as soon as the token has not followed it within a second.)
 */
async function holdSessionAnswerUntilVerified(page: Page): Promise<void> {
  let markSessionRead!: () => void;
  const sessionRead = new Promise<void>((resolve) => (markSessionRead = resolve));
  let markTokenSent!: () => void;
  const tokenSent = new Promise<void>((resolve) => (markTokenSent = resolve));
  const fromVerifyPage = (route: Route) => {
    try {
      return new URL(route.request().frame().url()).pathname === '/verify-email';
    } catch {
      return false;
    }
  };
  await page.route('**/api/auth/verify-email', async (route) => {
    markTokenSent();
    await sessionRead;
    await route.fallback();
  });
  await page.route('**/api/session', async (route) => {
    if (!fromVerifyPage(route)) return route.fallback();
    const response = await route.fetch();
    markSessionRead();
    const concurrent = await Promise.race([tokenSent.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, 1000, false))]);
    if (concurrent) await page.getByTestId('verify-email-success').waitFor({ timeout: 15_000 }).catch(() => undefined);
    // The app may have given up on this request meanwhile: nothing to deliver then.
    await route.fulfill({ response }).catch(() => undefined);
  });
}

test.describe('accounts', () => {
  test('sign up, verify the email address from the mailbox, sign out', async ({ page }) => {
    const person = newPerson('Jordan Ellis');
    await signUp(page, person);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('verify-email-banner')).toContainText(person.email);
    await expect(page.getByTestId('setup-step-verify-email')).toBeVisible();

    // On a slow network the verification page's own session answer can be read before the address
    // is confirmed and arrive after: the page must still end up showing the confirmed address.
    await holdSessionAnswerUntilVerified(page);
    await followMailboxLink(page, person.email, 'Confirm your email address for Motus', '/verify-email');
    const verifyUrl = page.url();
    const success = page.getByTestId('verify-email-success');
    await expect(success).toBeVisible();
    await expect(success).toContainText('Your email address is verified');
    await expect(success).toContainText(person.email);

    await success.getByRole('link', { name: 'Continue to Motus' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Jordan' })).toBeVisible();
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    // Soft: if the home page still says "not verified", the rest of the journey is checked anyway.
    await expect.soft(page.getByText('Email verified', { exact: true }), 'the home page shows the confirmed address').toBeVisible();
    await expect.soft(page.getByTestId('verify-email-banner'), 'no verification banner after confirming').toHaveCount(0);
    // The confirmation itself is kept by the server.
    await page.reload();
    await expect(page.getByText('Email verified', { exact: true })).toBeVisible();
    await expect(page.getByTestId('verify-email-banner')).toHaveCount(0);

    await page.getByRole('link', { name: /^Profile/ }).click();
    await expect(page.getByTestId('account-email')).toHaveText(person.email);
    await expect(page.getByText('Verified', { exact: true })).toBeVisible();

    // The link works once.
    await page.goto(verifyUrl);
    await expect(page.getByTestId('verify-email-failed')).toBeVisible();

    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByText('You have signed out.', { exact: true })).toBeVisible();
    // The sign-in page, whichever way it was reached (a request in flight during sign-out can send
    // the person there through the signed-out guard instead of the sign-out's own redirect).
    await expect(page).toHaveURL(/\/sign-in\?/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    // Signed out for real: a signed-in page sends back to sign-in.
    await page.goto('/profile');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fprofile$/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  });

  test('a forgotten password is reset through the emailed link, once', async ({ page, baseURL }) => {
    const person = await createAccount(baseURL!, newPerson('Sam Rivera'));
    const replacement = newPassword();

    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await page.getByLabel('Email', { exact: true }).fill(person.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByTestId('forgot-password-sent')).toBeVisible();

    await followMailboxLink(page, person.email, 'Reset your Motus password', '/reset-password');
    const resetUrl = page.url();
    await page.getByLabel('New password', { exact: true }).fill(replacement);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page).toHaveURL(/\/sign-in\?reason=reset_done$/);
    await expect(page.getByTestId('sign-in-notice')).toContainText('Your password has been reset');

    // The old password no longer works; the new one does.
    await signIn(page, person.email, person.password, { expectSuccess: false });
    await expect(page.getByTestId('sign-in-error')).toHaveText('Email or password is incorrect.');
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    await signIn(page, person.email, replacement);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Sam' })).toBeVisible();

    // The same link cannot be used a second time.
    await page.goto(resetUrl);
    await page.getByLabel('New password', { exact: true }).fill(newPassword());
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page.getByTestId('reset-link-invalid')).toBeVisible();
  });

  test('"This wasn\'t me" ends every session and requires a new password', async ({ page, baseURL }) => {
    const person = await createAccount(baseURL!, newPerson('Morgan Lee'));
    await signIn(page, person.email, person.password);

    // Someone else signs in with the same account from another device.
    const other = await signInThroughApi(baseURL!, person.email, person.password, USER_AGENTS.firefoxOnWindows);
    try {
      await page.reload();
      const notice = page.getByTestId('session-replaced');
      await expect(notice).toBeVisible();
      await expect(page.getByTestId('replaced-browser')).toHaveText('Firefox on Windows');
      await notice.getByRole('button', { name: "This wasn't me" }).click();

      const done = page.getByTestId('report-not-me-done');
      await expect(done).toBeVisible();
      await expect(done.getByRole('heading', { name: "We've secured your account" })).toBeVisible();
      await expect(done).toContainText('All sessions of your account have been ended');

      // The other device's session is over too, for the stated reason.
      const res = await other.api.get('/api/session');
      expect(res.status()).toBe(401);
      const body = (await res.json()) as { error: { code: string; details?: { reason?: string } } };
      expect(body.error.code).toBe('session_ended');
      expect(body.error.details?.reason).toBe('reported_not_me');
    } finally {
      await other.api.dispose();
    }

    await page.getByRole('button', { name: 'Go to sign in' }).click();
    await expect(page).toHaveURL(/\/sign-in\?reason=reported_not_me$/);
    await expect(page.getByTestId('sign-in-notice')).toContainText('All sessions were ended');

    // The old password is refused until a new one is chosen.
    await signIn(page, person.email, person.password, { expectSuccess: false });
    const refusal = page.getByTestId('sign-in-error');
    await expect(refusal).toContainText('For your security this account needs a new password.');
    await expect(refusal.getByRole('link', { name: 'Reset your password' })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);

    // The emailed link sets a new password, and that one signs in.
    const replacement = newPassword();
    await followMailboxLink(page, person.email, 'Your Motus account was secured', '/reset-password');
    await page.getByLabel('New password', { exact: true }).fill(replacement);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page).toHaveURL(/\/sign-in\?reason=reset_done$/);
    await signIn(page, person.email, replacement);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Morgan' })).toBeVisible();
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

    test('the sign-in page fits the screen and works with the keyboard alone', async ({ page, baseURL }) => {
      const person = await createAccount(baseURL!, newPerson('Robin Clarke'));
      await page.goto('/sign-in');
      const email = page.getByLabel('Email', { exact: true });
      const password = page.getByLabel('Password', { exact: true });
      await expect(email).toBeVisible();
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      // The footer (with the mailbox link) is the last thing to appear.
      await expect(page.getByRole('link', { name: 'Open the development mailbox' })).toBeVisible();

      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await page.evaluate(() => document.documentElement.clientWidth)).toBe(390);

      // Start from the top of the page (a click on its background moves the keyboard's starting point there).
      await page.mouse.click(5, 5);
      await expect(email).not.toBeFocused();
      let presses = 0;
      while (!(await email.evaluate((el) => el === document.activeElement)) && presses < 6) {
        await page.keyboard.press('Tab');
        presses += 1;
      }
      await expect(email).toBeFocused();
      // At most the skip link and the home link come before the form.
      expect(presses).toBeLessThanOrEqual(3);
      await page.keyboard.type(person.email);
      await page.keyboard.press('Tab');
      await expect(password).toBeFocused();
      await page.keyboard.type(person.password);
      await page.keyboard.press('Enter');

      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Robin' })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    });
  });

  test('the Content-Security-Policy blocks inline scripts, and the tests notice violations', async ({ page, browserProblems }) => {
    const response = await page.goto('/sign-in');
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(browserProblems, 'the sign-in page loads without any CSP violation or page error').toEqual([]);

    // An injected inline script must not run, and the violation must be reported to the test.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.appendChild(script);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    // Both reports arrive: the browser's console message and the page's securitypolicyviolation event.
    await expect
      .poll(() => [
        browserProblems.some((problem) => /inline script violates the following Content Security Policy directive/.test(problem)),
        browserProblems.some((problem) => /\[csp-violation\] script-src-elem blocked inline/.test(problem)),
      ])
      .toEqual([true, true]);
    // Expected here; anything else would fail this test at its end.
    browserProblems.length = 0;
  });
});
