/**
 * SPEC R-SES-1 and R-SES-2: signing in on a second device ends the first session, the first device
 * is told when and from where, and nothing typed there is lost.
 */
import type { Page, Response } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { createAccount, newPerson, signIn, USER_AGENTS } from './support/helpers.ts';

const DRAFT_URL = '/api/drafts/profile/me';

interface ProfileDraft {
  profession?: string;
  practice?: { address?: string };
}

/** The next autosave of the profile draft that carries exactly these values. */
function draftSaved(page: Page, expected: { profession: string; address: string }): Promise<Response> {
  return page.waitForResponse((response) => {
    if (!response.url().endsWith(DRAFT_URL) || response.request().method() !== 'PUT') return false;
    const body = response.request().postDataJSON() as { data?: ProfileDraft } | null;
    return body?.data?.profession === expected.profession && body.data.practice?.address === expected.address;
  });
}

/** How the app writes a date and time ("22 Nov 2026, 10:42"), computed in the same browser. */
function formatLikeTheApp(page: Page, iso: string): Promise<string> {
  return page.evaluate(
    (value) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value)),
    iso,
  );
}

/** The server's copy of the profile draft, read with the page's own cookies. */
async function serverDraft(page: Page): Promise<{ status: number; data: ProfileDraft | null }> {
  const res = await page.request.get(DRAFT_URL);
  if (res.status() !== 200) return { status: res.status(), data: null };
  return { status: 200, data: ((await res.json()) as { draft: { data: ProfileDraft } }).draft.data };
}

test.describe('session replaced by a sign-in elsewhere', () => {
  test('the first device is told when and where, and gets its unsaved profile edits back exactly', async ({ newContext, baseURL }) => {
    const person = await createAccount(baseURL!, newPerson('Priya Shah'));
    const profession = 'Physiotherapist (MSK)';
    const addressBefore = '12 High Street\nFlat 3, Riverside House\nLeeds LS1';
    const typedAfter = ' 4AB';
    const addressAfter = `${addressBefore}${typedAfter}`;

    const contextA = await newContext({ label: 'device A', userAgent: USER_AGENTS.chromeOnMac });
    const contextB = await newContext({ label: 'device B', userAgent: USER_AGENTS.firefoxOnWindows });
    const pageA = await contextA.newPage();
    const pageB = await contextB.newPage();

    // Device A: signed in, editing the profile; the draft reaches the server.
    await signIn(pageA, person.email, person.password);
    await pageA.goto('/profile');
    const professionA = pageA.getByLabel('Profession', { exact: true });
    const addressA = pageA.getByLabel('Practice address', { exact: true });
    await expect(professionA).toHaveValue('');
    await expect(addressA).toHaveValue('');
    const saved = draftSaved(pageA, { profession, address: addressBefore });
    await professionA.fill(profession);
    await addressA.fill(addressBefore);
    expect((await saved).status()).toBe(200);
    await expect(pageA.getByTestId('draft-status')).toHaveText(/^Draft saved /);

    // Device B: the same account signs in.
    const signInB = pageB.waitForResponse((r) => r.url().endsWith('/api/auth/sign-in') && r.request().method() === 'POST');
    await signIn(pageB, person.email, person.password);
    const signInBBody = (await (await signInB).json()) as { session: { createdAt: string } };

    // Device A types a little more: the autosave is refused and the notice explains why.
    await addressA.press('Control+End');
    await addressA.pressSequentially(typedAfter);
    const notice = pageA.getByTestId('session-replaced');
    await expect(notice).toBeVisible();
    await expect(notice.getByRole('heading', { name: 'You were signed out' })).toBeVisible();
    await expect(pageA.getByTestId('replaced-at')).toHaveText(await formatLikeTheApp(pageA, signInBBody.session.createdAt));
    await expect(pageA.getByTestId('replaced-browser')).toHaveText('Firefox on Windows');
    await expect(pageA.getByTestId('replaced-ip')).toHaveText('127.0.0.1');
    await expect(notice.getByRole('button', { name: "This wasn't me" })).toBeVisible();
    await expect(pageA).toHaveURL(/\/profile$/);

    // The last characters never reached the server before the refusal.
    expect((await serverDraft(pageB)).data?.practice?.address).toBe(addressBefore);

    // Device A signs in again and is taken back to the profile, where the draft is offered.
    await notice.getByRole('button', { name: 'Sign in again' }).click();
    await expect(pageA).toHaveURL(/\/sign-in\?next=%2Fprofile$/);
    await signIn(pageA, person.email, person.password);
    await expect(pageA).toHaveURL(/\/profile$/);
    const offer = pageA.getByTestId('draft-offer');
    await expect(offer).toBeVisible();
    await expect(offer).toContainText('You have unsaved changes from today at');
    // Until restored, the form shows what is saved.
    await expect(professionA).toHaveValue('');
    await expect(addressA).toHaveValue('');
    // The characters typed after the last autosave were sent to the server once signed in again.
    await expect.poll(async () => (await serverDraft(pageA)).data?.practice?.address).toBe(addressAfter);

    await offer.getByRole('button', { name: 'Restore' }).click();
    await expect(offer).toBeHidden();
    await expect(professionA).toHaveValue(profession);
    await expect(addressA).toHaveValue(addressAfter);

    // Saving for real keeps the values and forgets the draft.
    const patched = pageA.waitForResponse((r) => r.url().endsWith('/api/account') && r.request().method() === 'PATCH');
    await pageA.getByRole('button', { name: 'Save changes' }).click();
    expect((await patched).status()).toBe(200);
    await expect(pageA.getByText('Your changes have been saved.')).toBeVisible();
    await expect.poll(async () => (await serverDraft(pageA)).status).toBe(404);

    const draftLoaded = pageA.waitForResponse((r) => r.url().endsWith(DRAFT_URL) && r.request().method() === 'GET');
    await pageA.reload();
    expect((await draftLoaded).status()).toBe(404);
    await expect(professionA).toHaveValue(profession);
    await expect(addressA).toHaveValue(addressAfter);
    expect(await pageA.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('motus.draft.')))).toEqual([]);
    await expect(offer).toHaveCount(0);

    // Device A's new sign-in replaced device B in turn, and B is told it was device A.
    await pageB.reload();
    await expect(pageB.getByTestId('session-replaced')).toBeVisible();
    await expect(pageB.getByTestId('replaced-browser')).toHaveText('Chrome on macOS');
  });

  test('a fresh tab still gets back everything that was autosaved before the replacement', async ({ newContext, baseURL }) => {
    const person = await createAccount(baseURL!, newPerson('Tom Okafor'));
    const profession = 'Sports therapist';
    const address = 'Unit 4\nCanal Wharf\nManchester M1 2AB';

    const contextA = await newContext({ label: 'device A', userAgent: USER_AGENTS.chromeOnMac });
    const contextB = await newContext({ label: 'device B', userAgent: USER_AGENTS.firefoxOnWindows });
    const pageA = await contextA.newPage();
    const pageB = await contextB.newPage();

    await signIn(pageA, person.email, person.password);
    await pageA.goto('/profile');
    const saved = draftSaved(pageA, { profession, address });
    await pageA.getByLabel('Profession', { exact: true }).fill(profession);
    await pageA.getByLabel('Practice address', { exact: true }).fill(address);
    expect((await saved).status()).toBe(200);
    await expect(pageA.getByTestId('draft-status')).toHaveText(/^Draft saved /);

    await signIn(pageB, person.email, person.password);

    // Opening another page on device A (its first request) shows the notice.
    await pageA.getByRole('link', { name: /^Activity/ }).click();
    await expect(pageA.getByTestId('session-replaced')).toBeVisible();
    await expect(pageA.getByTestId('replaced-browser')).toHaveText('Firefox on Windows');

    // A new tab has no copy of its own: the server's draft is offered.
    const tab = await contextA.newPage();
    await signIn(tab, person.email, person.password);
    await tab.goto('/profile');
    const offer = tab.getByTestId('draft-offer');
    await expect(offer).toBeVisible();
    await offer.getByRole('button', { name: 'Restore' }).click();
    await expect(tab.getByLabel('Profession', { exact: true })).toHaveValue(profession);
    await expect(tab.getByLabel('Practice address', { exact: true })).toHaveValue(address);

    // Discarding instead would have kept what is saved: check "Discard" on a reload.
    const draftLoaded = tab.waitForResponse((r) => r.url().endsWith(DRAFT_URL) && r.request().method() === 'GET');
    await tab.reload();
    expect((await draftLoaded).status()).toBe(200);
    await expect(offer).toBeVisible();
    await offer.getByRole('button', { name: 'Discard' }).click();
    await expect(offer).toBeHidden();
    await expect(tab.getByLabel('Profession', { exact: true })).toHaveValue('');
    await expect(tab.getByLabel('Practice address', { exact: true })).toHaveValue('');
    await expect.poll(async () => (await serverDraft(tab)).status).toBe(404);
  });
});
