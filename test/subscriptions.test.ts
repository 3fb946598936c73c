import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';

// Individual subscriptions (SPEC section 7) and R-PRA-7 with a moved clock. Times are UTC; the
// billing time zone is Europe/Berlin: UTC+1 until 28 March 2027, UTC+2 after.

const CARD = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099, cvc: '123' };
const DECLINED = { number: '4000 0000 0000 0002', expMonth: 12, expYear: 2099, cvc: '123' };
const SUB = '/api/me/subscription';

async function runBilling(t: TestApp) {
  await t.services.invoices.scheduleDue();
  await t.deps.jobs.runDue();
}

async function workspace(c: Client) {
  return (await c.get('/api/me/workspace')).json();
}

/** Signs in again after the clock moved (sessions expire when idle). */
async function at(t: TestApp, iso: string, ...people: Array<{ client: Client; email: string }>) {
  t.clock.set(iso);
  for (const p of people) {
    const r = await p.client.signIn(p.email);
    if (r.statusCode !== 200) throw new Error(`sign-in failed: ${r.body}`);
  }
}

async function addColleague(sub: Client, name: string, email: string) {
  const quote = (await sub.get(`${SUB}/quote?colleagues=1`)).json();
  const res = await sub.post(`${SUB}/colleagues`, { name, email, acknowledgeCost: true, confirmedChargeMinor: quote.totalMinor });
  if (res.statusCode !== 201) throw new Error(`adding a colleague failed: ${res.body}`);
  return { quote, res: res.json() };
}

describe('individual subscriptions (R-SUB-1..4, R-PRA-7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('trial + colleague → paid; cancel on 15 March → access until 31 March, gone on 1 April; restart; R-PRA-7 credit on the organisation invoice', async () => {
    t.clock.set('2027-03-01T09:00:00Z');
    const anna = await verifiedClient(t, 'Anna Berg');
    const ben = await verifiedClient(t, 'Ben Colleague');
    const a = anna.client;

    // No licence yet: "subscription required", with a trial on offer (R-PRA-4, R-SUB-1).
    const before = (await a.get(SUB)).json();
    expect(before.subscription).toBeNull();
    expect(before.standing).toMatchObject({ canWork: false, notice: { code: 'subscription_required' } });

    const trial = await a.post(`${SUB}/trial`);
    expect(trial.statusCode).toBe(201);
    // 14 days from 1 March 09:00 UTC.
    expect(trial.json().subscription).toMatchObject({ state: 'trial', trialEndsAt: '2027-03-15T09:00:00.000Z', licences: { purchased: 1, assigned: 1 } });
    expect((await workspace(a)).hasLicence).toBe(true);
    expect((await a.post(`${SUB}/trial`)).json().error.code).toBe('subscription_exists');

    // Adding a colleague needs the acknowledgement of the extra cost, then a card (R-SUB-2, R-SUB-1).
    const noAck = await a.post(`${SUB}/colleagues`, { name: 'Ben Colleague', email: ben.email });
    expect(noAck.statusCode).toBe(400);
    expect(JSON.stringify(noAck.json().error)).toContain('acknowledgeCost');
    const noCard = await a.post(`${SUB}/colleagues`, { name: 'Ben Colleague', email: ben.email, acknowledgeCost: true, confirmedChargeMinor: 0 });
    expect(noCard.statusCode).toBe(402);
    expect(noCard.json().error.code).toBe('payment_method_required');
    expect((await a.post(`${SUB}/payment-methods`, CARD)).statusCode).toBe(201);

    await at(t, '2027-03-05T09:00:00Z', anna);
    // 5 March of 31 days: 27 days left. Anna's own licence starts being paid: 3000 × 27/31 =
    // 2612.90 → 2613; Ben's new licence the same: 2613. Together 5226.
    const { quote, res: added } = await addColleague(a, 'Ben Colleague', ben.email);
    expect(quote).toMatchObject({ startLicences: 1, startChargeMinor: 2613, colleagueLicences: 1, colleagueChargeMinor: 2613, totalMinor: 5226, daysCharged: 27, daysInMonth: 31 });
    expect(added).toMatchObject({ startChargeMinor: 2613, chargeMinor: 5226, licenceBought: true });
    const paid = (await a.get(SUB)).json().subscription;
    expect(paid).toMatchObject({ state: 'paid', paidFrom: '2027-03-05', licences: { purchased: 2, assigned: 1, reserved: 1 } });
    // A wrong confirmation changes nothing.
    const wrong = await a.post(`${SUB}/colleagues`, { name: 'Cleo Third', email: 'cleo.third@example.org', acknowledgeCost: true, confirmedChargeMinor: 1 });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.code).toBe('charge_not_confirmed');

    // Ben accepts with his own account; he sees who manages his licence and cannot change it (R-SUB-4).
    await at(t, '2027-03-05T10:00:00Z', anna, ben);
    expect((await ben.client.post(`/api/invitations/${added.member.id}/accept`)).statusCode).toBe(200);
    const benWs = await workspace(ben.client);
    expect(benWs.hasLicence).toBe(true);
    expect(benWs.licence.sources).toEqual([expect.objectContaining({ kind: 'subscription', own: false, managedBy: { name: 'Anna Berg', email: anna.email }, blocked: null })]);
    expect(benWs.organisations).toEqual([]);
    expect((await ben.client.post(`${SUB}/cancel`)).statusCode).toBe(404);
    expect((await ben.client.get(`${SUB}/colleagues`)).statusCode).toBe(404);
    // A subscription is never reachable through the organisation console's routes.
    expect((await a.get(`/api/organisations/${paid.id}`)).statusCode).toBe(404);

    // Cancel on 15 March: effective at the end of the month; undo and cancel again (R-SUB-3).
    await at(t, '2027-03-15T10:00:00Z', anna, ben);
    const cancelled = (await a.post(`${SUB}/cancel`)).json().subscription;
    expect(cancelled).toMatchObject({ state: 'cancelling', endsOn: '2027-04-01', lastDay: '2027-03-31' });
    expect((await a.delete(`${SUB}/cancel`)).json().subscription).toMatchObject({ state: 'paid', endsOn: null });
    expect((await a.post(`${SUB}/cancel`)).json().subscription).toMatchObject({ state: 'cancelling', endsOn: '2027-04-01' });
    // Cancelling again changes nothing, and the repeat is recorded as such (R-AUD-1).
    const again = await a.post(`${SUB}/cancel`);
    expect(again.statusCode).toBe(200);
    const repeat = await t.database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'request.unchanged').orderBy('at', 'desc').executeTakeFirst();
    expect(repeat).toMatchObject({ details: { reason: 'already_cancelling' } });
    expect(again.json().subscription).toMatchObject({ state: 'cancelling', endsOn: '2027-04-01' });

    // 31 March, 23:30 in Berlin: still working, both of them.
    await at(t, '2027-03-31T21:30:00Z', anna, ben);
    expect((await workspace(a)).hasLicence).toBe(true);
    expect((await workspace(ben.client)).hasLicence).toBe(true);

    // 1 April, 00:30 in Berlin: gone, with the notice for each (R-SUB-1, R-SUB-4).
    await at(t, '2027-03-31T22:30:00Z', anna, ben);
    const annaApril = await workspace(a);
    expect(annaApril.hasLicence).toBe(false);
    expect(annaApril.licence.notice).toMatchObject({ code: 'subscription_required', ownSubscription: true });
    const benApril = await workspace(ben.client);
    expect(benApril.hasLicence).toBe(false);
    expect(benApril.licence.notice).toMatchObject({ code: 'subscription_required', ownSubscription: false, contact: { name: 'Anna Berg' } });
    expect((await a.get(SUB)).json().subscription).toMatchObject({ state: 'ended', endReason: 'cancelled' });
    expect((await a.delete(`${SUB}/cancel`)).json().error.code).toBe('not_cancelling');

    // The April invoice bills March's charges and no licences for April, since it ended at its start.
    await runBilling(t);
    await a.signIn(anna.email);
    const [april] = (await a.get(`${SUB}/invoices`)).json().invoices;
    const aprilInvoice = (await a.get(`${SUB}/invoices/${april.id}`)).json().invoice;
    expect(aprilInvoice).toMatchObject({ period: '2027-04', subtotalMinor: 5226, totalMinor: 5226, status: 'paid' });
    expect(aprilInvoice.lines.map((l: { kind: string; amountMinor: number }) => [l.kind, l.amountMinor])).toEqual([
      ['charge', 2613],
      ['charge', 2613],
    ]);

    // Restart on 10 April (30 days, 21 left): 2 licences × round(3000 × 21/30) = 2 × 2100 = 4200.
    await at(t, '2027-04-10T08:00:00Z', anna, ben);
    const restartQuote = (await a.get(`${SUB}/quote`)).json();
    expect(restartQuote).toMatchObject({ startLicences: 2, startChargeMinor: 4200, totalMinor: 4200 });
    const restarted = await a.post(`${SUB}/start`, { confirmedChargeMinor: 4200 });
    expect(restarted.statusCode).toBe(200);
    expect(restarted.json()).toMatchObject({ chargeMinor: 4200, subscription: { state: 'paid', paidFrom: '2027-04-10', endsOn: null } });
    expect((await workspace(a)).hasLicence).toBe(true);
    expect((await workspace(ben.client)).hasLicence).toBe(true);

    // R-PRA-7: an organisation invites Anna on 15 April (a licence bought: 3000 × 16/30 = 1600) …
    await at(t, '2027-04-15T08:00:00Z', anna, ben);
    const { owner, orgId } = await organisationWithOwner(t, { card: true, name: 'Harbour Clinic' });
    const invited = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Anna Berg', email: anna.email, practitioner: true, confirmedChargeMinor: 1600 });
    expect(invited.statusCode).toBe(201);
    // The prompt tells her that accepting ends her own subscription.
    expect((await workspace(a)).invitations).toEqual([expect.objectContaining({ organisation: 'Harbour Clinic', kind: 'organisation', endsOwnSubscription: true })]);
    expect((await workspace(ben.client)).invitations).toEqual([]);

    // … and she accepts on 20 April: 11 days unused (20-30 April) of both paid licences:
    // 2 × round(3000 × 11/30) = 2 × 1100 = 2200, credited to the organisation.
    await at(t, '2027-04-20T08:00:00Z', anna, ben, owner);
    expect((await a.post(`/api/invitations/${invited.json().member.id}/accept`)).statusCode).toBe(200);
    expect((await a.get(SUB)).json().subscription).toMatchObject({ state: 'ended', endReason: 'joined_organisation', endsOn: '2027-04-20' });
    const annaJoined = await workspace(a);
    expect(annaJoined.hasLicence).toBe(true);
    expect(annaJoined.organisations).toEqual([expect.objectContaining({ id: orgId, practitioner: true })]);
    expect((await workspace(ben.client)).hasLicence).toBe(false);

    // The organisation's 1 May invoice: 1 licence for May, the 15 April charge, and the credit:
    // 3000 + 1600 − 2200 = 2400.
    await at(t, '2027-04-30T22:30:00Z');
    await runBilling(t);
    await at(t, '2027-04-30T22:31:00Z', owner, anna);
    const [may] = (await owner.client.get(`/api/organisations/${orgId}/invoices`)).json().invoices;
    const mayInvoice = (await owner.client.get(`/api/organisations/${orgId}/invoices/${may.id}`)).json().invoice;
    expect(mayInvoice.lines.map((l: { kind: string; quantity: number; amountMinor: number }) => [l.kind, l.quantity, l.amountMinor])).toEqual([
      ['licences', 1, 3000],
      ['charge', 1, 1600],
      ['credit', 2, -2200],
    ]);
    expect(mayInvoice.lines[2].description).toMatch(/20 April 2027: Unused days of Anna Berg's individual subscription: 2 × €30\.00 × 11\/30 days from 2027-04-20/);
    expect(mayInvoice).toMatchObject({ period: '2027-05', subtotalMinor: 2400, totalMinor: 2400 });

    // The ended subscription's own May invoice bills the April restart only (no licences for May).
    const [subMay] = (await a.get(`${SUB}/invoices`)).json().invoices;
    expect(subMay).toMatchObject({ period: '2027-05', subtotalMinor: 4200, totalMinor: 4200 });
  });

  it('a trial lapses by itself; the paid subscription can follow later, and a second trial is refused', async () => {
    t.clock.set('2027-06-01T08:00:00Z');
    const p = await verifiedClient(t, 'Lena Lapse');
    expect((await p.client.post(`${SUB}/trial`)).statusCode).toBe(201);
    await at(t, '2027-06-15T07:59:00Z', p);
    expect((await workspace(p.client)).hasLicence).toBe(true);
    await at(t, '2027-06-15T08:00:00Z', p);
    const ws = await workspace(p.client);
    expect(ws.hasLicence).toBe(false);
    expect(ws.licence.notice.message).toMatch(/free trial has ended/);
    expect((await p.client.post(`${SUB}/trial`)).json().error.code).toBe('subscription_exists');
    // Nothing is invoiced for a trial.
    await at(t, '2027-06-30T22:30:00Z');
    await runBilling(t);
    await p.client.signIn(p.email);
    expect((await p.client.get(`${SUB}/invoices`)).json().invoices).toEqual([]);
    // Continue on 10 July (31 days, 22 left): 3000 × 22/31 = 2129.03 → 2129.
    await at(t, '2027-07-10T08:00:00Z', p);
    expect((await p.client.post(`${SUB}/start`, { confirmedChargeMinor: 2129 })).statusCode).toBe(402);
    await p.client.post(`${SUB}/payment-methods`, CARD);
    const r = await p.client.post(`${SUB}/start`, { confirmedChargeMinor: 2129 });
    expect(r.statusCode).toBe(200);
    expect(r.json().subscription).toMatchObject({ state: 'paid', paidFrom: '2027-07-10' });
    expect((await workspace(p.client)).hasLicence).toBe(true);
    expect((await p.client.post(`${SUB}/cancel`)).json().subscription.lastDay).toBe('2027-07-31');
  });

  it('a paid period that starts on the 1st is charged once, whether the month’s invoice run comes before or after it (R-LIC-4, R-LIC-5)', async () => {
    t.clock.set('2028-03-01T08:00:00Z');
    const p = await verifiedClient(t, 'Fritz First');
    await p.client.post(`${SUB}/trial`);
    await p.client.post(`${SUB}/payment-methods`, CARD);
    // 1 April 2028, 00:00:30 in Berlin (UTC+2): the trial has lapsed, the April run has not come yet.
    await at(t, '2028-03-31T22:00:30Z', p);
    // The whole of April: 3000 × 30/30 = 3000.
    const started = await p.client.post(`${SUB}/start`, { confirmedChargeMinor: 3000 });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().subscription.paidFrom).toBe('2028-04-01');
    await runBilling(t); // the April run, after the start: April is not billed a second time
    await at(t, '2028-04-30T22:30:00Z', p); // 1 May: April's start line and May's licences
    await runBilling(t);
    await p.client.signIn(p.email);
    const invoices = (await p.client.get(`${SUB}/invoices`)).json().invoices as Array<{ id: string; totalMinor: number }>;
    const lines = [];
    for (const inv of invoices) lines.push(...(await p.client.get(`${SUB}/invoices/${inv.id}`)).json().invoice.lines.map((l: { kind: string; amountMinor: number }) => [l.kind, l.amountMinor]));
    expect(lines.sort()).toEqual([
      ['charge', 3000],
      ['licences', 3000],
    ]);
    expect(invoices.reduce((n, i) => n + i.totalMinor, 0)).toBe(6000);
  });

  it('joining an organisation on the 1st before the month was billed credits no unpaid days (R-PRA-7)', async () => {
    t.clock.set('2028-06-10T08:00:00Z');
    const jo = await verifiedClient(t, 'Jo Joiner');
    await jo.client.post(`${SUB}/trial`);
    await jo.client.post(`${SUB}/payment-methods`, CARD);
    // 10 June of 30 days, 21 left: 3000 × 21/30 = 2100.
    expect((await jo.client.post(`${SUB}/start`, { confirmedChargeMinor: 2100 })).statusCode).toBe(200);
    // 1 July, 00:00:30 in Berlin, before the July run: the subscription ends today, so July is
    // never billed to it, and there is nothing unused to credit.
    await at(t, '2028-06-30T22:00:30Z', jo);
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const quote = (await owner.client.get(`/api/organisations/${orgId}/licences/quote?quantity=1`)).json().quote.amountMinor;
    const invited = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Jo Joiner', email: jo.email, practitioner: true, confirmedChargeMinor: quote });
    expect((await jo.client.post(`/api/invitations/${invited.json().member.id}/accept`)).statusCode).toBe(200);
    const credits = await t.database.db.selectFrom('licence_ledger').select('cause').where('organisation_id', '=', orgId).where('cause', '=', 'subscription_credit').execute();
    expect(credits).toEqual([]);
    await runBilling(t);
    await jo.client.signIn(jo.email);
    const sub = await t.database.db.selectFrom('organisations').select('id').where('owner_account_id', '=', jo.accountId).where('kind', '=', 'subscription').executeTakeFirstOrThrow();
    const july = await t.database.db.selectFrom('invoices').innerJoin('invoice_lines', 'invoice_lines.invoice_id', 'invoices.id').select('invoice_lines.kind').where('invoices.organisation_id', '=', sub.id).where('invoices.period', '=', '2028-07').execute();
    expect(july.map((l) => l.kind)).toEqual(['charge']); // June's start line only
  });

  it('removing a colleague keeps the licence count; lowering it is a separate, credited step (R-SUB-2, R-LIC-3)', async () => {
    t.clock.set('2027-09-01T08:00:00Z');
    const s = await verifiedClient(t, 'Sara Subscriber');
    const c = await verifiedClient(t, 'Carl Colleague');
    await s.client.post(`${SUB}/trial`);
    await s.client.post(`${SUB}/payment-methods`, CARD);
    const { res } = await addColleague(s.client, 'Carl Colleague', c.email);
    const resent = await s.client.post(`${SUB}/colleagues/${res.member.id}/resend`);
    expect(resent.statusCode).toBe(200);
    expect(resent.json().member).toMatchObject({ id: res.member.id, status: 'unconfirmed', licence: 'reserved' });
    await c.client.post(`/api/invitations/${res.member.id}/accept`);
    const colleagues = (await s.client.get(`${SUB}/colleagues`)).json().colleagues;
    expect(colleagues).toEqual([expect.objectContaining({ email: c.email, status: 'active', licence: 'assigned' })]);

    await at(t, '2027-09-16T08:00:00Z', s, c);
    const removed = await s.client.delete(`${SUB}/colleagues/${res.member.id}`);
    expect(removed.statusCode).toBe(200);
    expect((await s.client.get(SUB)).json().subscription.licences).toMatchObject({ purchased: 2, assigned: 1, free: 1 });
    expect((await workspace(c.client)).hasLicence).toBe(false);
    // Never below assigned + reserved.
    expect((await s.client.post(`${SUB}/licences/remove`, { quantity: 2 })).json().error.code).toBe('licences_in_use');
    // 16 September of 30 days: 15 days left, 3000 × 15/30 = 1500 credited.
    const lowered = await s.client.post(`${SUB}/licences/remove`, { quantity: 1 });
    expect(lowered.json()).toMatchObject({ creditMinor: 1500, subscription: { licences: { purchased: 1, free: 0 } } });
    // The subscriber cannot remove their own licence holder: they cancel instead.
    const own = await t.database.db.selectFrom('memberships').select('id').where('account_id', '=', s.accountId).where('id', '<>', res.member.id).executeTakeFirstOrThrow();
    const self = await s.client.delete(`${SUB}/colleagues/${own.id}`);
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('own_membership');
    expect((await s.client.get(SUB)).json().subscription.licences).toMatchObject({ purchased: 1, assigned: 1 });
  });

  it('someone with an organisation licence needs no trial; a failed subscription payment shows payment required', async () => {
    t.clock.set('2027-10-01T08:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const member = await joinedMember(t, owner.client, orgId, { confirmedChargeMinor: 3000 });
    expect((await member.client.post(`${SUB}/trial`)).json().error.code).toBe('licence_held');

    const d = await verifiedClient(t, 'Dora Declined');
    await d.client.post(`${SUB}/trial`);
    await d.client.post(`${SUB}/payment-methods`, DECLINED);
    // 1 October of 31 days: the whole month, 3000.
    expect((await d.client.post(`${SUB}/start`, { confirmedChargeMinor: 3000 })).statusCode).toBe(200);
    const sub = (await d.client.get(SUB)).json().subscription;
    await d.client.post(`${SUB}/invoices/pending`);
    // The interim invoice is collected on issue, then on days 1, 3 and 7 (R-LIC-7).
    const interim = (await t.database.db.selectFrom('invoices').select(['id', 'issued_at']).where('organisation_id', '=', sub.id).executeTakeFirst())!;
    expect(interim).toBeDefined();
    for (const days of [0, 1, 3, 7]) {
      t.clock.set(new Date(interim.issued_at.getTime() + days * 86_400_000 + 60_000).toISOString());
      await t.deps.jobs.runDue();
    }
    await d.client.signIn(d.email);
    const ws = await workspace(d.client);
    expect(ws.hasLicence).toBe(false);
    expect(ws.licence.notice).toMatchObject({ code: 'payment_required', ownSubscription: true });
    // A working card and "retry now" give access back at once.
    const cards = (await d.client.get(`${SUB}/payment-methods`)).json().paymentMethods;
    await d.client.post(`${SUB}/payment-methods`, CARD);
    await d.client.delete(`${SUB}/payment-methods/${cards[0].id}`);
    const paid = await d.client.post(`${SUB}/invoices/${interim.id}/pay`);
    expect(paid.json().outcome).toBe('paid');
    expect((await workspace(d.client)).hasLicence).toBe(true);
  });
});
