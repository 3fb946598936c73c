/**
 * Integrations end to end (SPEC section 10): a practitioner on a free trial makes an API key from the
 * account menu, sees it once, uses it against the public API, sees its last use and revokes it
 * (R-INT-3); an organisation owner links an accepted practitioner to the practice management system
 * from the console while an invited one waits for acceptance, sees the issued key once and never the
 * PMS token, and unlinking ends the key at once (R-INT-1); the key screens fit a phone. The watched
 * fixtures fail every test on a Content-Security-Policy violation or a page error.
 */
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { confirmEmail, createOwnerWithOrganisation, inviteThroughApi } from './support/console.ts';
import { expect, test } from './support/fixtures.ts';
import { apiContext, createAccount, newPassword, newPerson, signIn, signInThroughApi, uniqueEmail, waitForMailedLink, type Person } from './support/helpers.ts';

const KEY_ONCE_WARNING = 'Copy this key now. You will not see it again.';

/** A practitioner with a confirmed address on the free trial (R-SUB-1), with one patient; setup only. */
async function practitionerOnTrial(baseURL: string, person: Person, patient: { firstName: string; lastName: string; yearOfBirth: number }): Promise<void> {
  await createAccount(baseURL, person);
  await confirmEmail(baseURL, person.email);
  const { api, session } = await signInThroughApi(baseURL, person.email, person.password);
  try {
    const headers = { 'x-csrf-token': session.csrfToken };
    const trial = await api.post('/api/me/subscription/trial', { headers });
    expect(trial.status(), `starting the trial failed: ${await trial.text()}`).toBe(201);
    const created = await api.post('/api/patients', { headers, data: patient });
    expect(created.status(), `adding the patient failed: ${await created.text()}`).toBe(201);
  } finally {
    // The browser signs in next, which would end this session anyway (R-SES-1).
    await api.dispose();
  }
}

/**
 * GET /api/v1/patients as a PMS calls it: a request context of its own, without the page's cookies,
 * carrying only the key.
 */
async function listPatientsWithKey(baseURL: string, key: string): Promise<{ status: number; body: unknown }> {
  const pms: APIRequestContext = await apiContext(baseURL);
  try {
    const res = await pms.get('/api/v1/patients', { headers: { authorization: `Bearer ${key}` } });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the failure message.
    }
    return { status: res.status(), body };
  } finally {
    await pms.dispose();
  }
}

/** Whether `secret` is anywhere in the document: its markup or the value of any field. */
function pageHolds(page: Page, secret: string): Promise<boolean> {
  return page.evaluate((s) => {
    if (document.documentElement.outerHTML.includes(s)) return true;
    return Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')).some((field) => field.value.includes(s));
  }, secret);
}

/**
 * The key of the one-time showing (R-INT-3): the warning is there, and the key read from the page is
 * the one the Copy button puts on the clipboard.
 */
async function readKeyShownOnce(page: Page, dialog: Locator): Promise<string> {
  const once = dialog.getByTestId('api-key-once');
  await expect(once).toBeVisible();
  await expect(once).toContainText(KEY_ONCE_WARNING);
  const field = once.getByLabel('The key', { exact: true });
  await expect(field).toHaveValue(/^motus_\S{16,}$/);
  const key = await field.inputValue();
  // The check the later steps rely on sees the key while it is shown.
  expect(await pageHolds(page, key)).toBe(true);
  await once.getByRole('button', { name: 'Copy key' }).click();
  await expect(once.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  return key;
}

/** The page does not scroll sideways: its scroll width is no wider than the window. */
async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(innerWidth).toBe(390);
  expect(scrollWidth, `${where} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}

/** Within the screen's width: no part of it is cut off at either side. */
async function expectWithinWidth(locator: Locator, width: number): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, 'the element has a box').not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}

/** Opens "API keys" from the account menu, as a person would. */
async function openApiKeysFromMenu(page: Page, person: Person): Promise<void> {
  await page.getByRole('button', { name: `Account menu for ${person.name}` }).click();
  await page.getByRole('menuitem', { name: 'API keys' }).click();
  await expect(page).toHaveURL(/\/api-keys$/);
  await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
}

/** Makes a key through the New key dialog with the given scope ticked; answers the dialog, still open on the key. */
async function makeKey(page: Page, name: string, scope: string): Promise<Locator> {
  await page.getByRole('button', { name: 'New key' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API key' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByRole('checkbox', { name: scope, exact: true }).check();
  await dialog.getByRole('button', { name: 'Make key' }).click();
  const shown = page.getByRole('dialog', { name: 'Your new key' });
  await expect(shown).toBeVisible();
  return shown;
}

test.describe('integrations', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('R-INT-3: a practitioner makes a key, sees it once, uses it, sees its last use and revokes it', async ({ page, baseURL }) => {
    test.setTimeout(120_000);
    const practitioner = newPerson('Nadia Brennan');
    const patient = { firstName: 'Ruth', lastName: 'Ellison', yearOfBirth: 1956 };
    await practitionerOnTrial(baseURL!, practitioner, patient);
    let key = '';
    const row = page.getByTestId('own-key-list').getByTestId('api-key-row').filter({ hasText: 'Practice PMS' });

    await test.step('1. the practitioner opens API keys from the menu and makes "Practice PMS" to read patients', async () => {
      await signIn(page, practitioner.email, practitioner.password);
      await openApiKeysFromMenu(page, practitioner);
      await expect(page.getByTestId('api-keys-no-licence')).toHaveCount(0);
      const dialog = await makeKey(page, 'Practice PMS', 'Read patients');
      key = await readKeyShownOnce(page, dialog);
      await dialog.getByRole('button', { name: 'Done' }).click();
      await expect(dialog).toBeHidden();

      await expect(row).toHaveCount(1);
      await expect(row.getByTestId('api-key-status')).toHaveText('Active');
      await expect(row.getByTestId('api-key-scopes')).toHaveText('Read patients');
      await expect(row.getByTestId('api-key-last-used')).toHaveText('Never used');
      // The list names the key by its visible start only.
      const prefix = (await row.getByTestId('api-key-prefix').textContent()) ?? '';
      expect(prefix.length).toBeGreaterThan(0);
      expect(key.startsWith(prefix)).toBe(true);
      expect(prefix.length).toBeLessThan(key.length);
      expect(await pageHolds(page, key), 'the key stays on the page after its dialog closed').toBe(false);
    });

    await test.step('2. the key reads the patients through the public API, with no cookies', async () => {
      const answer = await listPatientsWithKey(baseURL!, key);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const { patients } = answer.body as { patients: Array<{ firstName: string; lastName: string }> };
      expect(patients.map((p) => `${p.firstName} ${p.lastName}`)).toEqual([`${patient.firstName} ${patient.lastName}`]);
    });

    await test.step('3. after a reload the key is never shown again, and its last use shows with the address', async () => {
      // The key's bookkeeping commits after the answer, so the reload is repeated until it shows (bounded).
      await expect(async () => {
        await page.reload();
        await expect(row.getByTestId('api-key-last-used')).toHaveText(/^(today|yesterday) at .+ from (\d{1,3}(\.\d{1,3}){3}|[0-9a-f:.]+)$/, { timeout: 2_000 });
      }).toPass({ timeout: 20_000, intervals: [250, 500, 1_000] });
      await expect(page.getByTestId('api-key-once')).toHaveCount(0);
      await expect(page.getByText(KEY_ONCE_WARNING)).toHaveCount(0);
      expect(await pageHolds(page, key), 'the key shows again after a reload').toBe(false);
    });

    await test.step('4. revoking it, after confirming, makes the same request answer 401', async () => {
      await row.getByRole('button', { name: 'Revoke Practice PMS' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke “Practice PMS”?' });
      await expect(confirm).toBeVisible();
      await expect(confirm).toContainText('It stops working at once for whatever uses it.');
      await confirm.getByRole('button', { name: 'Revoke key' }).click();
      await expect(confirm).toBeHidden();
      await expect(row.getByTestId('api-key-status')).toHaveText('Revoked');
      await expect(row.getByRole('button', { name: 'Revoke Practice PMS' })).toHaveCount(0);

      const answer = await listPatientsWithKey(baseURL!, key);
      expect(answer.status, JSON.stringify(answer.body)).toBe(401);
    });
  });

  test('R-INT-1: the owner links an accepted practitioner to the PMS, never sees the token again, and unlinking ends the key', async ({ page, baseURL }) => {
    test.setTimeout(120_000);
    const orgName = 'Northgate Physiotherapy';
    const setup = await createOwnerWithOrganisation(baseURL!, orgName, newPerson('Isobel Warren'));
    const orgId = setup.organisation.id;
    const accepted = { name: 'Priya Natarajan', email: uniqueEmail('priya'), password: newPassword() };
    const invited = { name: 'Hannah Okafor', email: uniqueEmail('hannah') };
    const pmsName = 'Medatixx';
    const pmsToken = `pms-secret-${uniqueEmail('token').replace(/\W/g, '')}`;

    await test.step('setup: one practitioner accepted the invitation, another has not yet', async () => {
      await inviteThroughApi(setup, accepted);
      await inviteThroughApi(setup, invited);
      const joiner = await apiContext(baseURL!);
      try {
        const link = await waitForMailedLink(joiner, accepted.email, '/invitations/accept');
        const token = new URL(link).searchParams.get('token');
        const res = await joiner.post('/api/invitations/accept', { data: { token, password: accepted.password, name: accepted.name } });
        expect(res.status(), `accepting the invitation failed: ${await res.text()}`).toBe(200);
      } finally {
        await joiner.dispose();
      }
      // The owner signs in in the browser below, which ends this API session (R-SES-1).
      await setup.api.dispose();
    });

    const links = page.getByTestId('pms-links');
    const acceptedRow = links.getByTestId('pms-link-row').filter({ hasText: accepted.email });
    const invitedRow = links.getByTestId('pms-link-row').filter({ hasText: invited.email });
    let key = '';

    await test.step('1. on the Integrations page the invited practitioner can be linked only once they accept', async () => {
      await signIn(page, setup.owner.email, setup.owner.password);
      await expect(page).toHaveURL(new RegExp(`/console/${orgId}/users$`));
      await page.getByRole('navigation', { name: 'Organisation console' }).getByRole('link', { name: 'Integrations' }).click();
      await expect(page).toHaveURL(new RegExp(`/console/${orgId}/integrations$`));
      await expect(page.getByRole('heading', { level: 1, name: 'Integrations' })).toBeVisible();

      await expect(invitedRow).toHaveCount(1);
      await expect(invitedRow.getByTestId('pms-link-state')).toHaveText('Can be linked once they accept the invitation');
      await expect(invitedRow.getByRole('button', { name: /^Link / })).toHaveCount(0);
      await expect(acceptedRow.getByTestId('pms-link-state')).toHaveText('Not linked');
    });

    await test.step('2. the owner links the accepted practitioner and sees the issued key once', async () => {
      await acceptedRow.getByRole('button', { name: `Link ${accepted.name}`, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Link to the practice management system' });
      await expect(dialog).toBeVisible();
      await dialog.getByLabel('PMS name', { exact: true }).fill(pmsName);
      await dialog.getByLabel('PMS token', { exact: true }).fill(pmsToken);
      expect(await pageHolds(page, pmsToken), 'the typed token is seen by the check used below').toBe(true);
      await dialog.getByRole('button', { name: 'Link', exact: true }).click();

      const shown = page.getByRole('dialog', { name: 'Linked: the key for the PMS' });
      await expect(shown).toBeVisible();
      await expect(shown).toContainText(`Enter this key in ${pmsName}. With it, ${pmsName} works with Motus as ${accepted.name} in ${orgName}.`);
      key = await readKeyShownOnce(page, shown);
      expect(await pageHolds(page, pmsToken), 'the PMS token is still on the page once the link is made').toBe(false);
      await shown.getByRole('button', { name: 'Done' }).click();
      await expect(shown).toBeHidden();
    });

    await test.step('3. the link is listed, its key with it, and neither the token nor the key is on the page', async () => {
      await expect(acceptedRow.getByTestId('pms-link-state')).toContainText(`Linked to ${pmsName}`);
      await expect(acceptedRow.getByRole('button', { name: `Unlink ${accepted.name}` })).toBeVisible();
      const linkKey = page.getByTestId('org-key-list').getByTestId('api-key-row').filter({ hasText: 'PMS link' });
      await expect(linkKey).toHaveCount(1);
      await expect(linkKey.getByTestId('api-key-place')).toHaveText(accepted.name);
      await expect(linkKey.getByTestId('api-key-status')).toHaveText('Active');
      expect(await pageHolds(page, pmsToken), 'the PMS token is on the page').toBe(false);
      expect(await pageHolds(page, key), 'the issued key shows again').toBe(false);

      await page.reload();
      await expect(acceptedRow.getByTestId('pms-link-state')).toContainText(`Linked to ${pmsName}`);
      expect(await pageHolds(page, pmsToken), 'the PMS token is on the page after a reload').toBe(false);
      expect(await pageHolds(page, key), 'the issued key shows after a reload').toBe(false);
      await expect(invitedRow.getByTestId('pms-link-state')).toHaveText('Can be linked once they accept the invitation');
    });

    await test.step('4. the key reads patients as the practitioner, and after Unlink answers 401', async () => {
      const answer = await listPatientsWithKey(baseURL!, key);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(Array.isArray((answer.body as { patients: unknown }).patients)).toBe(true);

      await acceptedRow.getByRole('button', { name: `Unlink ${accepted.name}` }).click();
      const confirm = page.getByRole('dialog', { name: `Unlink ${accepted.name} from the PMS?` });
      await expect(confirm).toBeVisible();
      await confirm.getByRole('button', { name: 'Unlink', exact: true }).click();
      await expect(confirm).toBeHidden();
      await expect(acceptedRow.getByTestId('pms-link-state')).toHaveText('Not linked');
      await expect(page.getByTestId('org-key-list').getByTestId('api-key-row').filter({ hasText: 'PMS link' }).getByTestId('api-key-status')).toHaveText('Revoked');

      const refused = await listPatientsWithKey(baseURL!, key);
      expect(refused.status, JSON.stringify(refused.body)).toBe(401);
    });
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

    test('R-INT-3: the key shown once and the revoke button fit the screen', async ({ page, baseURL }) => {
      test.setTimeout(90_000);
      const practitioner = newPerson('Tobias Lindqvist');
      await practitionerOnTrial(baseURL!, practitioner, { firstName: 'Agnes', lastName: 'Moreau', yearOfBirth: 1961 });
      await signIn(page, practitioner.email, practitioner.password);
      await openApiKeysFromMenu(page, practitioner);
      await expectNoSidewaysScroll(page, 'the API keys page');

      const dialog = await makeKey(page, 'Practice PMS', 'Read patients');
      const once = dialog.getByTestId('api-key-once');
      await expect(once).toBeVisible();
      await expect(once.getByText(KEY_ONCE_WARNING)).toBeVisible();
      // The whole key wraps within the screen, so it can be read and checked.
      await expect(once.getByLabel('The key', { exact: true })).toBeVisible();
      await expectWithinWidth(once, 390);
      await expectWithinWidth(once.getByLabel('The key', { exact: true }), 390);
      await expectNoSidewaysScroll(page, 'the new key dialog');
      const key = await readKeyShownOnce(page, dialog);
      await dialog.getByRole('button', { name: 'Done' }).click();
      await expect(dialog).toBeHidden();

      const row = page.getByTestId('own-key-list').getByTestId('api-key-row').filter({ hasText: 'Practice PMS' });
      const revoke = row.getByRole('button', { name: 'Revoke Practice PMS' });
      await revoke.scrollIntoViewIfNeeded();
      await expect(revoke).toBeVisible();
      await expect(revoke).toBeInViewport();
      await expectWithinWidth(revoke, 390);
      await expectWithinWidth(row, 390);
      await expectNoSidewaysScroll(page, 'the list of keys');

      await revoke.click();
      const confirm = page.getByRole('dialog', { name: 'Revoke “Practice PMS”?' });
      await expect(confirm.getByRole('button', { name: 'Revoke key' })).toBeInViewport();
      await expectNoSidewaysScroll(page, 'the revoke dialog');
      await confirm.getByRole('button', { name: 'Revoke key' }).click();
      await expect(confirm).toBeHidden();
      await expect(row.getByTestId('api-key-status')).toHaveText('Revoked');
      expect((await listPatientsWithKey(baseURL!, key)).status).toBe(401);
    });
  });
});
