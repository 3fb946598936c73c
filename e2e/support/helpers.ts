/**
 * Small helpers for the browser tests: accounts made through the UI or (for setup only) through the
 * API, signing in as a person would, and reading the development mailbox.
 */
import { randomBytes } from 'node:crypto';
import { expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** User agents that the app describes differently ("Chrome on macOS", "Firefox on Windows"). */
export const USER_AGENTS = {
  chromeOnMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefoxOnWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
} as const;

function randomPart(bytes = 5): string {
  return randomBytes(bytes).toString('hex');
}

/** An address no other test (or earlier run against the same database) has used. */
export function uniqueEmail(prefix = 'e2e'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomPart()}@example.com`;
}

/** A password long enough and random enough to pass the common-password check. */
export function newPassword(): string {
  return `Knee-${randomPart(6)}-rehab-plan`;
}

/** A person with a unique email and a valid password; nothing is created yet. */
export function newPerson(name = 'Alex Morgan'): Person {
  return { name, email: uniqueEmail(name.split(' ')[0]!.toLowerCase()), password: newPassword() };
}

/** Creates an account through the sign-up form and waits for the signed-in home page. */
export async function signUp(page: Page, person: Person): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  const firstName = person.name.trim().split(/\s+/)[0]!;
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${firstName}` })).toBeVisible();
}

export interface SignInOptions {
  /** Open /sign-in first (default: only when the page is not already there). */
  goto?: boolean;
  /** Wait until the app has left the sign-in page (default true). */
  expectSuccess?: boolean;
}

/** Signs in through the sign-in form. */
export async function signIn(page: Page, email: string, password: string, options: SignInOptions = {}): Promise<void> {
  const onSignIn = new URL(page.url(), 'http://placeholder').pathname === '/sign-in';
  if (options.goto ?? !onSignIn) await page.goto('/sign-in');
  const emailField = page.getByLabel('Email', { exact: true });
  await expect(emailField).toBeVisible();
  await emailField.fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (options.expectSuccess ?? true) {
    await expect(page).not.toHaveURL(/\/sign-in(\?|$)/);
    // The signed-in layout's account menu proves the app holds the session.
    await expect(page.getByRole('button', { name: /^Account menu for / })).toBeVisible();
  }
}

/** A request context of its own (its own cookies), so nothing it does leaks into a page. */
export async function apiContext(baseURL: string, userAgent?: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, ...(userAgent ? { userAgent } : {}) });
}

export interface CreatedAccount extends Person {
  id: string;
}

/** Setup only: creates an account through the API, then forgets the session it started. */
export async function createAccount(baseURL: string, person: Person = newPerson()): Promise<CreatedAccount> {
  const api = await apiContext(baseURL);
  try {
    const res = await api.post('/api/auth/sign-up', {
      data: { name: person.name, email: person.email, password: person.password },
    });
    expect(res.status(), `sign-up failed: ${await res.text()}`).toBe(201);
    const body = (await res.json()) as { account: { id: string } };
    return { ...person, id: body.account.id };
  } finally {
    await api.dispose();
  }
}

export interface SignedInApi {
  api: APIRequestContext;
  session: { id: string; createdAt: string; csrfToken: string };
}

/** Signs in through the API from a context of its own, as another device would. Dispose `api` after. */
export async function signInThroughApi(baseURL: string, email: string, password: string, userAgent?: string): Promise<SignedInApi> {
  const api = await apiContext(baseURL, userAgent);
  const res = await api.post('/api/auth/sign-in', { data: { email, password } });
  expect(res.status(), `sign-in failed: ${await res.text()}`).toBe(200);
  const body = (await res.json()) as { session: SignedInApi['session'] };
  return { api, session: body.session };
}

export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
  links: string[];
}

/** The mail kept for `email` by the development mailbox, newest first. */
export async function mailbox(request: APIRequestContext, email: string): Promise<MailboxMessage[]> {
  const res = await request.get(`/api/dev/mailbox?to=${encodeURIComponent(email)}`);
  expect(res.status(), 'the development mailbox must be on for browser tests').toBe(200);
  return ((await res.json()) as { messages: MailboxMessage[] }).messages;
}

/** Every link mailed to `email` (newest message first), optionally only those to one path. */
export async function mailedLinks(request: APIRequestContext, email: string, path?: string): Promise<string[]> {
  const links = (await mailbox(request, email)).flatMap((message) => message.links);
  return path ? links.filter((link) => new URL(link).pathname === path) : links;
}

/** Waits for a message to `email` with a link to `path` and answers the newest such link. */
export async function waitForMailedLink(request: APIRequestContext, email: string, path: string, subject?: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      async () => {
        const messages = await mailbox(request, email);
        const message = messages.find(
          (m) => (subject === undefined || m.subject === subject) && m.links.some((link) => new URL(link).pathname === path),
        );
        found = message?.links.find((link) => new URL(link).pathname === path);
        return found ?? null;
      },
      { message: `a link to ${path} mailed to ${email}` },
    )
    .not.toBeNull();
  return found!;
}

/**
 * Opens the development mailbox page, picks the message to `email` with `subject` and follows its
 * link to `path`, as a person reading the email would.
 */
export async function followMailboxLink(page: Page, email: string, subject: string, path: string): Promise<void> {
  await page.goto('/dev/mailbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Development mailbox' })).toBeVisible();
  const message = page.getByTestId('mailbox-message').filter({ hasText: email }).filter({ hasText: subject }).first();
  await expect(message).toBeVisible();
  await message.click();
  const view = page.getByTestId('mailbox-message-view');
  await expect(view.getByRole('heading', { name: subject })).toBeVisible();
  await expect(view).toContainText(`To ${email}`);
  const link = view.getByTestId('mailbox-link').filter({ hasText: path });
  await expect(link).toHaveCount(1);
  await link.click();
  await expect(page).toHaveURL((url) => url.pathname === path);
}
