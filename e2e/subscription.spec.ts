/**
 * Individual subscriptions of SPEC section 7: a verified person without a licence is told a
 * subscription is required (R-PRA-4), starts the free trial (R-SUB-1), adds a card and a colleague at
 * the exact amount shown after ticking the acknowledgement of the cost, which turns the trial paid
 * (R-SUB-2, R-LIC-4), cancels to the end of the month and undoes it (R-SUB-3), and opens the invoice
 * of the pending charges from its emailed link (R-LIC-5, R-LIC-6). The colleague accepts at the
 * prompt and sees who manages their licence (R-SUB-4). The watched fixtures fail the test on a
 * Content-Security-Policy violation or a page error.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { confirmEmail, formatMoneyLikeTheApp, TEST_CARD_SUCCESS } from './support/console.ts';
import type { SubscriptionQuoteView } from '../src/subscriptions/schemas.ts';
import { expect, test } from './support/fixtures.ts';
import { createAccount, followMailboxLink, newPerson, signIn } from './support/helpers.ts';

/** GET /api/me/subscription/quote, as its contract describes it. */
type SubscriptionQuote = SubscriptionQuoteView;

async function subscriptionQuote(request: APIRequestContext, colleagues: number): Promise<SubscriptionQuote> {
  const res = await request.get(`/api/me/subscription/quote?colleagues=${colleagues}`);
  expect(res.status(), `the subscription quote failed: ${await res.text()}`).toBe(200);
  return (await res.json()) as SubscriptionQuote;
}

/** R-LIC-4, checked independently of the server: price × (D − d + 1) / D per licence, rounded half-up. */
function prorated(quote: SubscriptionQuote): number {
  const day = Number(quote.localDate.slice(8, 10));
  expect(quote.daysCharged, `days charged on ${quote.localDate}`).toBe(quote.daysInMonth - day + 1);
  return Math.floor((2 * quote.unitPriceMinor * quote.daysCharged + quote.daysInMonth) / (2 * quote.daysInMonth));
}

/** The last day of the month of a local date ("2026-11-22" → "2026-11-30"), as the app writes dates. */
function lastDayOfMonthLikeTheApp(page: Page, localDate: string): Promise<string> {
  return page.evaluate((date) => {
    const [year, month] = date.split('-').map(Number);
    const last = new Date(Date.UTC(year!, month!, 0));
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(last);
  }, localDate);
}

test.describe('individual subscription', () => {
  test('a trial turns paid with a colleague, is cancelled and resumed, and is invoiced', async ({ page, newContext, baseURL }) => {
    test.setTimeout(120_000);
    const subscriber = await createAccount(baseURL!, newPerson('Sam Rivers'));
    await confirmEmail(baseURL!, subscriber.email);
    const colleague = await createAccount(baseURL!, newPerson('Chris Adebayo'));
    await confirmEmail(baseURL!, colleague.email);
    const subscriptionName = `${subscriber.name}'s subscription`;
    const colleaguePage = await (await newContext({ label: 'colleague' })).newPage();

    await signIn(page, subscriber.email, subscriber.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Sam' })).toBeVisible();

    await test.step('1. without a licence, home says a subscription is required', async () => {
      const notice = page.getByTestId('subscription-required-notice');
      await expect(notice).toBeVisible();
      await expect(notice.getByRole('heading', { name: 'A subscription is required' })).toBeVisible();
      await expect(notice).toContainText('You have no licence to use Motus yet.');
      await expect(notice.getByRole('link', { name: 'Start free trial' })).toHaveAttribute('href', '/subscription');
    });

    await test.step('2. the free trial starts from the Subscription page, without a card', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Subscription/ }).click();
      await expect(page).toHaveURL(/\/subscription$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Subscription' })).toBeVisible();
      const offer = page.getByTestId('subscription-trial-offer');
      await expect(offer.getByRole('heading', { name: 'Try Motus free for 14 days' })).toBeVisible();
      await expect(offer).toContainText('needs no card');
      await offer.getByRole('button', { name: 'Start free trial' }).click();

      await expect(page.getByTestId('subscription-state')).toHaveText('Free trial');
      await expect(page.getByTestId('subscription-summary')).toContainText('Free trial until');
      await expect(page.getByRole('button', { name: 'Continue with a paid subscription' })).toBeVisible();
      await expect(page.getByTestId('pool-purchased')).toHaveText('1');
      await expect(page.getByTestId('pool-assigned')).toHaveText('1');

      // The trial is a licence: home no longer asks for a subscription.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Home/ }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Sam' })).toBeVisible();
      await expect(page.getByTestId('subscription-required-notice')).toHaveCount(0);
      await page.goto('/subscription');
      await expect(page.getByTestId('subscription-state')).toHaveText('Free trial');
    });

    await test.step('3. a card is added', async () => {
      await expect(page.getByTestId('payment-method')).toHaveCount(0);
      await page.getByLabel('Card number').fill(TEST_CARD_SUCCESS);
      await page.getByLabel('Expiry month').fill('12');
      await page.getByLabel('Expiry year').fill(String(new Date().getFullYear() + 3));
      await page.getByLabel('Security code').fill('123');
      await page.getByRole('button', { name: 'Add card' }).click();
      await expect(page.getByTestId('payment-method')).toHaveCount(1);
      await expect(page.getByTestId('payment-method')).toContainText('ending 4242');
    });

    let quote: SubscriptionQuote;
    await test.step('4. adding a colleague shows the exact amount, needs the acknowledgement and turns the trial paid', async () => {
      quote = await subscriptionQuote(page.request, 1);
      const each = prorated(quote);
      expect(quote).toMatchObject({ startLicences: 1, startChargeMinor: each, colleagueLicences: 1, colleagueChargeMinor: each, totalMinor: 2 * each, paymentMethodOnFile: true });
      const total = await formatMoneyLikeTheApp(page, quote.totalMinor, quote.currency);
      const one = await formatMoneyLikeTheApp(page, each, quote.currency);
      const monthly = await formatMoneyLikeTheApp(page, 2 * quote.unitPriceMinor, quote.currency);

      await page.getByRole('button', { name: 'Add colleague' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a colleague' });
      await expect(dialog).toBeVisible();
      await dialog.getByLabel('Name', { exact: true }).fill(colleague.name);
      await dialog.getByLabel('Email', { exact: true }).fill(colleague.email);
      await expect(dialog.getByTestId('trial-turns-paid')).toContainText('Adding a colleague ends your free trial');
      const box = dialog.getByTestId('subscription-quote');
      await expect(box).toContainText(`Adding Chris buys one licence: ${one} `);
      await expect(box).toContainText(`(${quote.daysCharged} of ${quote.daysInMonth} days)`);
      await expect(box).toContainText(`Charged now: ${total} in all, on your next invoice. Then ${monthly} a month.`);

      // Not without the acknowledgement of the cost (R-SUB-2).
      await dialog.getByRole('button', { name: 'Add colleague' }).click();
      await expect(dialog).toContainText('Tick the box to confirm that each colleague adds a licence to your monthly bill.');
      await dialog.getByLabel('I understand each colleague adds a licence to my monthly bill').check();
      await dialog.getByRole('button', { name: 'Add colleague' }).click();
      await expect(dialog).toBeHidden();

      await expect(page.getByTestId('subscription-state')).toHaveText('Paid');
      await expect(page.getByTestId('subscription-summary')).toContainText(`Paid monthly: ${monthly} a month for 2 licences`);
      const row = page.getByTestId('colleague-row').filter({ hasText: colleague.email });
      await expect(row.getByTestId('member-status')).toHaveText('Unconfirmed');
      await expect(page.getByTestId('pool-purchased')).toHaveText('2');
      await expect(page.getByTestId('pool-reserved')).toHaveText('1');
      await expect(page.getByTestId('pool-monthly-total')).toHaveText(monthly);
    });

    await test.step('5. the colleague accepts at the prompt and sees who manages their licence', async () => {
      await signIn(colleaguePage, colleague.email, colleague.password);
      const prompt = colleaguePage.getByTestId('invitation-prompt');
      await expect(prompt).toContainText(`Invitation to join ${subscriptionName}`);
      await prompt.getByRole('button', { name: `Accept invitation to ${subscriptionName}` }).click();
      await expect(prompt).toHaveCount(0);
      await expect(colleaguePage.getByTestId('subscription-required-notice')).toHaveCount(0);

      await colleaguePage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Subscription/ }).click();
      const source = colleaguePage.getByTestId('licence-source');
      await expect(source).toHaveCount(1);
      await expect(source).toContainText(`Your licence comes from ${subscriptionName}, managed by ${subscriber.name} (${subscriber.email}). Only they can change it.`);
      await expect(source.getByRole('link', { name: subscriber.email })).toHaveAttribute('href', `mailto:${subscriber.email}`);
      // Nothing to change, and no trial pushed on them.
      await expect(colleaguePage.getByTestId('subscription-not-needed')).toBeVisible();
      await expect(colleaguePage.getByRole('button', { name: 'Start free trial' })).toHaveCount(0);
      await expect(colleaguePage.getByRole('button', { name: 'Cancel subscription' })).toHaveCount(0);

      await page.reload();
      await expect(page.getByTestId('colleague-row').filter({ hasText: colleague.email }).getByTestId('member-status')).toHaveText('Active');
      await expect(page.getByTestId('pool-assigned')).toHaveText('2');
    });

    await test.step('6. cancelling runs to the end of the month, and can be undone', async () => {
      const lastDay = await lastDayOfMonthLikeTheApp(page, (await subscriptionQuote(page.request, 0)).localDate);
      await page.getByRole('button', { name: 'Cancel subscription' }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel your subscription?' });
      await expect(dialog).toContainText(`Your subscription runs to the end of this month, ${lastDay}`);
      await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('subscription-state')).toHaveText('Cancelled');
      await expect(page.getByTestId('subscription-summary')).toContainText(`ends after ${lastDay}`);

      await page.getByRole('button', { name: 'Undo cancellation' }).click();
      await expect(page.getByTestId('subscription-state')).toHaveText('Paid');
      await expect(page.getByRole('button', { name: 'Cancel subscription' })).toBeVisible();
    });

    await test.step('7. pending charges are invoiced now; the emailed link opens the invoice', async () => {
      await page.getByRole('button', { name: 'Invoice pending charges now' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invoice pending charges now?' });
      await dialog.getByRole('button', { name: 'Invoice pending charges now' }).click();
      await expect(dialog).toBeHidden();
      const row = page.getByTestId('invoice-row');
      await expect(row).toHaveCount(1);
      const total = await formatMoneyLikeTheApp(page, quote.totalMinor, quote.currency);
      await expect(row.getByTestId('invoice-total')).toHaveText(total);

      const listed = await page.request.get('/api/me/subscription/invoices');
      const [invoice] = ((await listed.json()) as { invoices: Array<{ id: string; number: number }> }).invoices;
      await followMailboxLink(page, subscriber.email, `Motus invoice ${invoice!.number} for ${subscriptionName}`, `/subscription/invoices/${invoice!.id}`);
      await expect(page.getByRole('heading', { level: 1, name: `Invoice ${invoice!.number}` })).toBeVisible();
      await expect(page.getByTestId('invoice-lines')).toContainText(`Licence for ${colleague.name}`);
      await expect(page.getByTestId('invoice-lines').getByTestId('invoice-total')).toHaveText(total);
      // The card on file is charged at once.
      await expect(page.getByTestId('invoice-status')).toHaveText('Paid', { timeout: 20_000 });
      await expect(page.getByRole('button', { name: 'Retry payment now' })).toHaveCount(0);

      const download = page.getByRole('link', { name: 'Download invoice' });
      await expect(download).toHaveAttribute('href', `/api/me/subscription/invoices/${invoice!.id}/document`);
      const printable = await page.request.get(`/api/me/subscription/invoices/${invoice!.id}/document`);
      expect(printable.status()).toBe(200);
      expect(await printable.text()).toContain(String(invoice!.number));

      await page.getByRole('link', { name: 'All invoices' }).click();
      await expect(page).toHaveURL(/\/subscription#invoices$/);
      await expect(page.getByTestId('invoice-row').getByTestId('invoice-status')).toHaveText('Paid');
    });
  });
});
