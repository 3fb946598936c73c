/**
 * The organisation console of SPEC sections 4-6: adding practitioners at the exact prorated price of
 * the licence bought for them (R-PRA-1, R-LIC-2, R-LIC-4), a new person joining from the emailed
 * link, a person with an account accepting at their next visit, removing access (R-PRA-3, R-PRA-4)
 * and granting it again with a licence bought at the shown price (R-PRA-5), and the Users page on a
 * phone. The watched fixtures fail every test on a Content-Security-Policy violation or a page error.
 */
import type { Page } from '@playwright/test';
import {
  confirmEmail,
  createOwnerWithOrganisation,
  expectProrated,
  formatMoneyLikeTheApp,
  horizontalOverflow,
  inviteThroughApi,
  licencePool,
  licenceQuote,
  memberRow,
  type Quote,
} from './support/console.ts';
import { expect, test } from './support/fixtures.ts';
import { createAccount, followMailboxLink, newPassword, newPerson, signIn, uniqueEmail } from './support/helpers.ts';

/** The price sentence of the quote box (web/src/billing/money.ts), up to the amount charged now. */
async function expectQuoteShown(page: Page, quote: Quote, doing: string): Promise<void> {
  const amount = await formatMoneyLikeTheApp(page, quote.amountMinor, quote.currency);
  const box = page.getByRole('dialog').getByTestId('licence-quote');
  await expect(box).toContainText(`No licence is free. ${doing} buys one licence: ${amount} `);
  await expect(box).toContainText(`(${quote.daysCharged} of ${quote.daysInMonth} days)`);
}

/** The status badge of a person's row on the Users page. */
async function expectListedAs(page: Page, email: string, status: string): Promise<void> {
  const row = memberRow(page, email);
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('member-status')).toHaveText(status);
}

test.describe('organisation console', () => {
  test('practitioners are added at the shown price, join, lose access and get it back', async ({ page, newContext, baseURL }) => {
    test.setTimeout(120_000);
    const orgName = 'Riverside Physiotherapy';
    const setup = await createOwnerWithOrganisation(baseURL!, orgName, newPerson('Olivia Grant'));
    const { owner } = setup;
    const orgId = setup.organisation.id;
    // An account that exists before it is invited (step 3).
    const existing = await createAccount(baseURL!, newPerson('Tomasz Kowalski'));
    await confirmEmail(baseURL!, existing.email);
    const joiner = { name: 'Priya Natarajan', email: uniqueEmail('priya'), password: newPassword() };
    const third = { name: 'Hannah Okafor', email: uniqueEmail('hannah') };
    // The owner signs in in the browser below, which ends this API session.
    await setup.api.dispose();

    const ownerPage = page;
    const joinerPage = await (await newContext({ label: 'invited practitioner' })).newPage();
    const existingPage = await (await newContext({ label: 'existing account' })).newPage();

    // The owner, an admin without practitioner access, lands on the console's Users page.
    await signIn(ownerPage, owner.email, owner.password);
    await expect(ownerPage).toHaveURL(new RegExp(`/console/${orgId}/users$`));
    await expect(ownerPage.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await expect(ownerPage.getByTestId('console-organisation')).toHaveText(orgName);
    await expectListedAs(ownerPage, owner.email, 'Active');

    await test.step('1. adding a person when no licence is free shows the exact prorated price', async () => {
      const quote = await licenceQuote(ownerPage.request, orgId);
      expect(quote.freeLicences).toBe(0);
      expect(quote.paymentMethodOnFile).toBe(true);
      expect(quote.paymentMethodRequired).toBe(false);
      expectProrated(quote);

      await ownerPage.getByRole('button', { name: 'Add user' }).click();
      const dialog = ownerPage.getByRole('dialog', { name: 'Add a user' });
      await expect(dialog).toBeVisible();
      await dialog.getByLabel('Name', { exact: true }).fill(joiner.name);
      await dialog.getByLabel('Email', { exact: true }).fill(joiner.email);
      await expectQuoteShown(ownerPage, quote, 'Adding Priya');
      await expect(dialog.getByRole('button', { name: 'Send invitation' })).toHaveCount(0);
      await dialog.getByRole('button', { name: 'Confirm and buy licence' }).click();
      await expect(dialog).toBeHidden();

      await expectListedAs(ownerPage, joiner.email, 'Unconfirmed');
      await expect(memberRow(ownerPage, joiner.email).getByTestId('member-licence')).toHaveText('Reserved');
      expect(await licencePool(ownerPage.request, orgId)).toMatchObject({ purchased: 1, assigned: 0, reserved: 1, free: 0 });
    });

    await test.step('2. the new person follows the emailed link, sets a password and is signed in', async () => {
      await followMailboxLink(joinerPage, joiner.email, `${owner.name} invited you to ${orgName} on Motus`, '/invitations/accept');
      await expect(joinerPage.getByTestId('invitation-email')).toHaveText(joiner.email);
      await expect(joinerPage.getByLabel('Name', { exact: true })).toHaveValue(joiner.name);
      await joinerPage.getByLabel('Password', { exact: true }).fill(joiner.password);
      await joinerPage.getByRole('button', { name: `Join ${orgName}` }).click();
      await expect(joinerPage).toHaveURL(/\/$/);
      await expect(joinerPage.getByRole('heading', { level: 1, name: 'Welcome, Priya' })).toBeVisible();
      await expect(joinerPage.getByRole('button', { name: `Account menu for ${joiner.name}` })).toBeVisible();
      await expect(joinerPage.getByTestId('access-removed-notice')).toHaveCount(0);
      await expect(joinerPage.getByTestId('subscription-required-notice')).toHaveCount(0);
      // The organisation's practitioner workspace is open to them.
      expect((await joinerPage.request.get(`/api/organisations/${orgId}/practitioner`)).status()).toBe(200);

      await ownerPage.reload();
      await expectListedAs(ownerPage, joiner.email, 'Active');
      await expect(memberRow(ownerPage, joiner.email).getByTestId('member-licence')).toHaveText('Assigned');
    });

    await test.step('3. a person with an account accepts the invitation at their next visit', async () => {
      await signIn(existingPage, existing.email, existing.password);
      // Home shows once the person's workspace is loaded: no invitation yet.
      await expect(existingPage.getByRole('heading', { level: 1, name: 'Welcome, Tomasz' })).toBeVisible();
      await expect(existingPage.getByTestId('invitation-prompt')).toHaveCount(0);

      const quote = await licenceQuote(ownerPage.request, orgId);
      expect(quote.freeLicences).toBe(0);
      await ownerPage.getByRole('button', { name: 'Add user' }).click();
      const dialog = ownerPage.getByRole('dialog', { name: 'Add a user' });
      await dialog.getByLabel('Name', { exact: true }).fill(existing.name);
      await dialog.getByLabel('Email', { exact: true }).fill(existing.email);
      await expectQuoteShown(ownerPage, quote, 'Adding Tomasz');
      await dialog.getByRole('button', { name: 'Confirm and buy licence' }).click();
      await expect(dialog).toBeHidden();
      await expectListedAs(ownerPage, existing.email, 'Unconfirmed');

      await existingPage.reload();
      const prompt = existingPage.getByTestId('invitation-prompt');
      await expect(prompt).toContainText(`Invitation to join ${orgName}`);
      await expect(prompt).toContainText(`${owner.name} invited you`);
      await prompt.getByRole('button', { name: `Accept invitation to ${orgName}` }).click();
      await expect(prompt).toHaveCount(0);
      expect((await existingPage.request.get(`/api/organisations/${orgId}/practitioner`)).status()).toBe(200);

      await ownerPage.reload();
      await expectListedAs(ownerPage, existing.email, 'Active');
      expect(await licencePool(ownerPage.request, orgId)).toMatchObject({ purchased: 2, assigned: 2, reserved: 0, free: 0 });
    });

    await test.step("4. removing the new person's access shows them the notice at their next action", async () => {
      await memberRow(ownerPage, joiner.email).getByRole('link', { name: joiner.name }).click();
      await expect(ownerPage.getByRole('heading', { level: 1, name: joiner.name })).toBeVisible();
      await expect(ownerPage.getByTestId('member-status')).toHaveText('Active');
      await ownerPage.getByRole('button', { name: 'Remove access' }).click();
      const dialog = ownerPage.getByRole('dialog', { name: `Remove ${joiner.name}'s access?` });
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: 'Remove access' }).click();
      await expect(dialog).toBeHidden();
      await expect(ownerPage.getByTestId('member-status')).toHaveText('Access removed');
      await expect(ownerPage.getByRole('button', { name: 'Grant access again' })).toBeVisible();

      await joinerPage.reload();
      const notice = joinerPage.getByTestId('access-removed-notice');
      await expect(notice).toBeVisible();
      await expect(notice).toContainText(`${orgName} removed your access to Motus.`);
      await expect(notice).toContainText(`Contact ${owner.name} (${owner.email}).`);
      await expect(notice.getByRole('link', { name: owner.email })).toHaveAttribute('href', `mailto:${owner.email}`);
      const refused = await joinerPage.request.get(`/api/organisations/${orgId}/practitioner`);
      expect(refused.status()).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('access_removed');
    });

    await test.step('5. granting access again buys a licence at the shown price once none is free', async () => {
      // Removing access freed a licence (R-PRA-3): a third person takes it, so none is free any more.
      const freed = await licenceQuote(ownerPage.request, orgId);
      expect(freed).toMatchObject({ quantity: 0, freeLicences: 1, amountMinor: 0 });
      await ownerPage.getByRole('link', { name: 'All users' }).click();
      await expect(ownerPage.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
      const licences = ownerPage.getByRole('group', { name: 'Licences' });
      await expect(licences).toContainText('2 licences');
      await expect(licences).toContainText('1 free');
      await ownerPage.getByRole('button', { name: 'Add user' }).click();
      const addDialog = ownerPage.getByRole('dialog', { name: 'Add a user' });
      await addDialog.getByLabel('Name', { exact: true }).fill(third.name);
      await addDialog.getByLabel('Email', { exact: true }).fill(third.email);
      await expect(addDialog.getByTestId('licence-quote')).toContainText('One licence is free. Adding Hannah uses one of them: nothing more is charged.');
      await expect(addDialog.getByRole('button', { name: 'Confirm and buy licence' })).toHaveCount(0);
      await addDialog.getByRole('button', { name: 'Send invitation' }).click();
      await expect(addDialog).toBeHidden();
      await expectListedAs(ownerPage, third.email, 'Unconfirmed');
      await expectListedAs(ownerPage, joiner.email, 'Access removed');
      await expect(licences).toContainText('0 free');

      const quote = await licenceQuote(ownerPage.request, orgId);
      expect(quote.freeLicences).toBe(0);
      expectProrated(quote);

      await memberRow(ownerPage, joiner.email).getByRole('link', { name: joiner.name }).click();
      await expect(ownerPage.getByRole('heading', { level: 1, name: joiner.name })).toBeVisible();
      await expect(ownerPage.getByTestId('member-status')).toHaveText('Access removed');
      await ownerPage.getByRole('button', { name: 'Grant access again' }).click();
      const dialog = ownerPage.getByRole('dialog', { name: `Grant ${joiner.name} access again?` });
      await expect(dialog).toBeVisible();
      await expectQuoteShown(ownerPage, quote, 'Granting Priya access again');
      await expect(dialog.getByRole('button', { name: 'Grant access again' })).toHaveCount(0);
      await dialog.getByRole('button', { name: 'Confirm and buy licence' }).click();
      await expect(dialog).toBeHidden();
      await expect(ownerPage.getByTestId('member-status')).toHaveText('Active');

      await joinerPage.reload();
      await expect(joinerPage.getByRole('heading', { level: 1, name: 'Welcome, Priya' })).toBeVisible();
      await expect(joinerPage.getByTestId('access-removed-notice')).toHaveCount(0);
      expect((await joinerPage.request.get(`/api/organisations/${orgId}/practitioner`)).status()).toBe(200);

      // Bought for Priya, for Tomasz and for Priya again; Hannah's invitation holds the freed one.
      await ownerPage.getByRole('navigation', { name: 'Organisation console' }).getByRole('link', { name: 'Licences & billing' }).click();
      await expect(ownerPage.getByTestId('pool-purchased')).toHaveText('3');
      await expect(ownerPage.getByTestId('pool-assigned')).toHaveText('2');
      await expect(ownerPage.getByTestId('pool-reserved')).toHaveText('1');
      await expect(ownerPage.getByTestId('pool-free')).toHaveText('0');
    });
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

    test('the Users page and the Add user dialog fit the screen', async ({ page, baseURL }) => {
      const orgName = 'Harbour Lane Physiotherapy and Sports Rehabilitation';
      const setup = await createOwnerWithOrganisation(baseURL!, orgName, newPerson('Samuel Adeyemi'));
      // A long address must wrap, not push the page sideways.
      await inviteThroughApi(setup, { name: 'Maximiliana Featherstonehaugh-Worthington', email: uniqueEmail('maximiliana.featherstonehaugh-worthington.longaddress') });
      await inviteThroughApi(setup, { name: 'Li Wei', email: uniqueEmail('li') });
      await setup.api.dispose();

      await signIn(page, setup.owner.email, setup.owner.password);
      await expect(page).toHaveURL(new RegExp(`/console/${setup.organisation.id}/users$`));
      await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
      // Phones get one card per person instead of the table.
      await expect(page.getByTestId('members-list')).toBeVisible();
      await expect(page.getByTestId('members-table')).toHaveCount(0);
      await expect(page.getByTestId('member-row')).toHaveCount(3);
      await expect(page.getByTestId('members-count')).toHaveText('1–3 of 3 users');

      const { scrollWidth, clientWidth } = await horizontalOverflow(page);
      expect(clientWidth).toBe(390);
      expect(scrollWidth, 'the Users page scrolls sideways').toBeLessThanOrEqual(clientWidth);

      await page.getByRole('button', { name: 'Add user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a user' });
      await dialog.getByLabel('Name', { exact: true }).fill('Noor Haddad');
      await expect(dialog.getByTestId('licence-quote')).toContainText('No licence is free. Adding Noor buys one licence');
      await expect(dialog.getByRole('button', { name: 'Confirm and buy licence' })).toBeInViewport();
      const box = await dialog.getByTestId('licence-quote').boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      const inDialog = await horizontalOverflow(page);
      expect(inDialog.scrollWidth, 'the Add user dialog scrolls sideways').toBeLessThanOrEqual(inDialog.clientWidth);
    });
  });
});
