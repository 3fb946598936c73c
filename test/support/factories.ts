import type { TestApp } from './app.ts';
import { Client, uniqueEmail } from './client.ts';

/** A signed-in client whose email address is confirmed (through the emailed link, as a person would). */
export async function verifiedClient(t: TestApp, name = 'Owner Person'): Promise<{ client: Client; email: string; accountId: string }> {
  const client = new Client(t.app);
  const email = uniqueEmail(name.split(' ')[0]!.toLowerCase());
  const { account } = await client.signUp(email, undefined, name);
  const token = await latestLinkToken(t, email, '/verify-email');
  const res = await client.post('/api/auth/verify-email', { token });
  if (res.statusCode !== 200) throw new Error(`verification failed: ${res.body}`);
  return { client, email, accountId: account.id };
}

/** The token of the newest emailed link to `path` for `email`. */
export async function latestLinkToken(t: TestApp, email: string, path: string): Promise<string> {
  const mail = await t.database.db.selectFrom('outbox_emails').select('text_body').where('to_address', '=', email.toLowerCase()).orderBy('created_at', 'desc').execute();
  for (const m of mail) {
    const match = new RegExp(`${path.replace(/\//g, '\\/')}\\?token=([A-Za-z0-9_%-]+)`).exec(m.text_body);
    if (match) return decodeURIComponent(match[1]!);
  }
  throw new Error(`no ${path} link emailed to ${email}`);
}

/** An organisation owned by a verified account, optionally with a card on file (test gateway). */
export async function organisationWithOwner(t: TestApp, opts: { card?: boolean; name?: string } = {}) {
  const owner = await verifiedClient(t, 'Olivia Owner');
  const res = await owner.client.post('/api/organisations', { name: opts.name ?? 'Riverside Physio' });
  if (res.statusCode !== 201) throw new Error(`organisation creation failed: ${res.body}`);
  const orgId = res.json().organisation.id as string;
  if (opts.card) {
    const card = await owner.client.post(`/api/organisations/${orgId}/payment-methods`, { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099, cvc: '123' });
    if (card.statusCode !== 201) throw new Error(`card failed: ${card.body}`);
  }
  return { owner, orgId };
}

/** Buys licences with the exact quoted amount, as the console does after showing it. */
export async function buyLicences(owner: Client, orgId: string, quantity: number) {
  const quote = await owner.get(`/api/organisations/${orgId}/licences/quote?quantity=${quantity}&bulk=true`);
  const res = await owner.post(`/api/organisations/${orgId}/licences/purchase`, { quantity, confirmedChargeMinor: quote.json().quote.amountMinor });
  if (res.statusCode !== 200) throw new Error(`purchase failed: ${res.body}`);
  return res.json();
}

/** The id of the session a signed-in client uses (audit records name it). */
export async function sessionIdOf(client: Client): Promise<string> {
  const res = await client.get('/api/session');
  if (res.statusCode !== 200) throw new Error(`no live session: ${res.body}`);
  return res.json().session.id as string;
}

/**
 * A verified account that was invited to the organisation and accepted at its prompt. A
 * practitioner (the default) takes a free licence, or buys one when `confirmedChargeMinor` is given.
 */
export async function joinedMember(
  t: TestApp,
  inviter: Client,
  orgId: string,
  opts: { name?: string; practitioner?: boolean; sections?: string[]; confirmedChargeMinor?: number; buyLicence?: boolean } = {},
) {
  const name = opts.name ?? 'Pat Practitioner';
  const person = await verifiedClient(t, name);
  if (opts.buyLicence) {
    // Confirms whatever the console would show now: nothing when a licence is free.
    const quote = await inviter.get(`/api/organisations/${orgId}/licences/quote?quantity=1`);
    opts = { ...opts, confirmedChargeMinor: quote.json().quote.amountMinor };
  }
  const invited = await inviter.post(`/api/organisations/${orgId}/invitations`, {
    name,
    email: person.email,
    practitioner: opts.practitioner ?? true,
    ...(opts.sections ? { admin: { sections: opts.sections } } : {}),
    ...(opts.confirmedChargeMinor !== undefined ? { confirmedChargeMinor: opts.confirmedChargeMinor } : {}),
  });
  if (invited.statusCode !== 201) throw new Error(`invitation failed: ${invited.body}`);
  const memberId = invited.json().member.id as string;
  const accepted = await person.client.post(`/api/invitations/${memberId}/accept`);
  if (accepted.statusCode !== 200) throw new Error(`acceptance failed: ${accepted.body}`);
  return { ...person, memberId };
}
