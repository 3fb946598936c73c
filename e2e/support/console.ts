/**
 * Helpers for the organisation console tests (SPEC sections 4-6): an owner with a verified account,
 * an organisation and a card on file, made through the API (setup only); the licence quote read
 * with a page's own cookies; and money written the way the console writes it.
 */
import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { apiContext, newPerson, waitForMailedLink, type CreatedAccount, type Person } from './helpers.ts';
import type { PoolView, QuoteView } from '../../src/licences/schemas.ts';

/** The built-in test gateway's card that always pays (src/billing/gateway.ts). */
export const TEST_CARD_SUCCESS = '4242424242424242';

/** The licence quote and pool as the API answers them (their contracts in src/licences/schemas.ts). */
export type Quote = QuoteView;
export type Pool = PoolView;

/** An API session of the owner, for setup only. A sign-in anywhere else ends it (R-SES-1). */
export interface OwnerSetup {
  owner: CreatedAccount;
  organisation: { id: string; name: string };
  api: APIRequestContext;
  csrfToken: string;
}

/**
 * Setup only: signs up `person` through the API, confirms the address with the mailed link, creates
 * an organisation named `organisationName` and adds the test gateway's paying card. The returned
 * `api` stays signed in as the owner until the owner signs in elsewhere; dispose it after.
 */
export async function createOwnerWithOrganisation(
  baseURL: string,
  organisationName: string,
  person: Person = newPerson('Olivia Grant'),
): Promise<OwnerSetup> {
  const api = await apiContext(baseURL);
  const signUp = await api.post('/api/auth/sign-up', { data: { name: person.name, email: person.email, password: person.password } });
  expect(signUp.status(), `sign-up failed: ${await signUp.text()}`).toBe(201);
  const signedUp = (await signUp.json()) as { account: { id: string }; session: { csrfToken: string } };
  const csrfToken = signedUp.session.csrfToken;
  const headers = { 'x-csrf-token': csrfToken };

  const link = await waitForMailedLink(api, person.email, '/verify-email');
  const token = new URL(link).searchParams.get('token');
  expect(token, 'the confirmation link carries a token').toBeTruthy();
  const verified = await api.post('/api/auth/verify-email', { data: { token }, headers });
  expect(verified.status(), `verify-email failed: ${await verified.text()}`).toBe(200);

  const created = await api.post('/api/organisations', { data: { name: organisationName }, headers });
  expect(created.status(), `creating the organisation failed: ${await created.text()}`).toBe(201);
  const organisation = ((await created.json()) as { organisation: { id: string; name: string } }).organisation;
  expect(organisation.name).toBe(organisationName);

  const card = await api.post(`/api/organisations/${organisation.id}/payment-methods`, {
    data: { number: TEST_CARD_SUCCESS, expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: '123' },
    headers,
  });
  expect(card.status(), `adding the card failed: ${await card.text()}`).toBe(201);

  return { owner: { ...person, id: signedUp.account.id }, organisation: { id: organisation.id, name: organisation.name }, api, csrfToken };
}

/** The quote answered to `request` (a page's own `page.request`, or an API context) for one more practitioner. */
export async function licenceQuote(request: APIRequestContext, orgId: string): Promise<Quote> {
  const res = await request.get(`/api/organisations/${orgId}/licences/quote?quantity=1`);
  expect(res.status(), `the licence quote failed: ${await res.text()}`).toBe(200);
  return ((await res.json()) as { quote: Quote }).quote;
}

export async function licencePool(request: APIRequestContext, orgId: string): Promise<Pool> {
  const res = await request.get(`/api/organisations/${orgId}/licences`);
  expect(res.status(), `the licence pool failed: ${await res.text()}`).toBe(200);
  return ((await res.json()) as { pool: Pool }).pool;
}

/**
 * R-LIC-4, checked independently of the server: a licence added on day d of a month of D days costs
 * price × (D − d + 1) / D, in integer minor units rounded half-up.
 */
export function expectProrated(quote: Quote): void {
  const day = Number(quote.localDate.slice(8, 10));
  expect(quote.quantity).toBe(1);
  expect(quote.daysCharged, `days charged on ${quote.localDate}`).toBe(quote.daysInMonth - day + 1);
  const exact = (quote.unitPriceMinor * quote.daysCharged) / quote.daysInMonth;
  const halfUp = Math.floor((2 * quote.unitPriceMinor * quote.daysCharged + quote.daysInMonth) / (2 * quote.daysInMonth));
  expect(quote.amountMinor, `price ${quote.unitPriceMinor} × ${quote.daysCharged}/${quote.daysInMonth} = ${exact}`).toBe(halfUp);
}

/** An amount in minor units as the console writes it, worked out in the same browser (its locale). */
export function formatMoneyLikeTheApp(page: Page, minor: number, currency: string): Promise<string> {
  return page.evaluate(
    ({ minor, currency }) => {
      const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
      return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits);
    },
    { minor, currency },
  );
}

/** Setup only: invites a practitioner through the API, confirming the quoted price. */
export async function inviteThroughApi(setup: OwnerSetup, person: { name: string; email: string }): Promise<{ memberId: string }> {
  const quote = await licenceQuote(setup.api, setup.organisation.id);
  const res = await setup.api.post(`/api/organisations/${setup.organisation.id}/invitations`, {
    data: { name: person.name, email: person.email, practitioner: true, ...(quote.quantity > 0 ? { confirmedChargeMinor: quote.amountMinor } : {}) },
    headers: { 'x-csrf-token': setup.csrfToken, 'Idempotency-Key': randomUUID() },
  });
  expect(res.status(), `the invitation failed: ${await res.text()}`).toBe(201);
  return { memberId: ((await res.json()) as { member: { id: string } }).member.id };
}

/** The row (or phone card) of one person on the Users page, found by their email address. */
export function memberRow(page: Page, email: string): Locator {
  return page.getByTestId('member-row').filter({ hasText: email });
}

/** Whether the page scrolls sideways (wider content than the viewport). */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    clientWidth: document.documentElement.clientWidth,
  }));
}

/** Confirms an account's email address through the emailed link (R-ACC-3: needed to hold a licence). */
export async function confirmEmail(baseURL: string, email: string): Promise<void> {
  const api = await apiContext(baseURL);
  try {
    const link = await waitForMailedLink(api, email, '/verify-email');
    const token = new URL(link).searchParams.get('token');
    const res = await api.post('/api/auth/verify-email', { data: { token } });
    expect(res.status(), `verify-email failed: ${await res.text()}`).toBe(200);
  } finally {
    await api.dispose();
  }
}
