import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Motus } from '../src/app.ts';
import type { Clock } from '../src/platform/clock.ts';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { createTestApp, usingPostgres, type TestApp } from './support/app.ts';
import { Client, GOOD_PASSWORD } from './support/client.ts';
import { buyLicences, organisationWithOwner, verifiedClient } from './support/factories.ts';

// R-LIC-5..7 with a moved clock. Times are UTC; the billing time zone is Europe/Berlin (UTC+2 in
// summer), so "1 June 00:30 in Berlin" is 31 May 22:30 UTC.

async function runBilling(t: TestApp) {
  await t.services.invoices.scheduleDue();
  await t.deps.jobs.runDue();
}

describe('monthly invoices (R-LIC-4, R-LIC-5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a scripted month: 4 licences at 30.00 EUR, one added on 15 May, one removed on 20 May', async () => {
    t.clock.set('2026-04-30T08:00:00Z'); // 30 April, 10:00 in Berlin
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const o = owner.client;
    // 4 licences bought on the last day of April: 4 × 3000 × 1/30 = 400
    expect((await buyLicences(o, orgId, 4)).chargeMinor).toBe(400);

    t.clock.set('2026-04-30T22:30:00Z'); // 1 May, 00:30 in Berlin
    await runBilling(t);
    await o.signIn(owner.email);
    const may = (await o.get(`/api/organisations/${orgId}/invoices`)).json().invoices;
    expect(may).toHaveLength(1);
    expect(may[0]).toMatchObject({ period: '2026-05', subtotalMinor: 12_400, totalMinor: 12_400, status: 'paid' });

    t.clock.set('2026-05-15T08:00:00Z');
    await o.signIn(owner.email);
    // added on 15 May (31 days): 3000 × (31 − 15 + 1)/31 = 3000 × 17/31 = 1645.16 → 1645
    expect((await buyLicences(o, orgId, 1)).chargeMinor).toBe(1645);
    t.clock.set('2026-05-20T08:00:00Z');
    await o.signIn(owner.email);
    // removed on 20 May: credit 3000 × (31 − 20 + 1)/31 = 3000 × 12/31 = 1161.29 → 1161
    const removed = await o.post(`/api/organisations/${orgId}/licences/remove`, { quantity: 1 });
    expect(removed.json().creditMinor).toBe(1161);

    t.clock.set('2026-05-31T22:30:00Z'); // 1 June, 00:30 in Berlin
    await runBilling(t);
    await o.signIn(owner.email);
    const list = (await o.get(`/api/organisations/${orgId}/invoices`)).json().invoices;
    expect(list).toHaveLength(2);
    const june = (await o.get(`/api/organisations/${orgId}/invoices/${list[0].id}`)).json().invoice;
    expect(june.number).toBe(may[0].number + 1);
    expect(june.period).toBe('2026-06');
    // The lines: June's 4 licences in advance (4 + 1 − 1 held on 1 June), then May's changes.
    expect(june.lines.map((l: { kind: string; amountMinor: number; quantity: number }) => [l.kind, l.quantity, l.amountMinor])).toEqual([
      ['licences', 4, 12_000],
      ['charge', 1, 1645],
      ['credit', 1, -1161],
    ]);
    expect(june.lines[1].description).toMatch(/15 May 2026/);
    expect(june.lines[2].description).toMatch(/20 May 2026/);
    // 12000 + 1645 − 1161 = 12484
    expect(june).toMatchObject({ subtotalMinor: 12_484, totalMinor: 12_484, creditCarriedMinor: 0, status: 'paid' });

    const doc = await o.get(`/api/organisations/${orgId}/invoices/${june.id}/document`);
    expect(doc.headers['content-type']).toMatch(/text\/html/);
    expect(doc.headers['cache-control']).toBe('private, no-store');
    expect(doc.body).toContain(`Invoice ${june.number}`);
    expect(doc.body).toContain('€124.84');
    // Emailed to the owner (R-LIC-6).
    const mail = await t.database.db.selectFrom('outbox_emails').select('subject').where('to_address', '=', owner.email).where('subject', 'like', `Motus invoice ${june.number}%`).execute();
    expect(mail).toHaveLength(1);
  });

  it('a credit balance is carried forward, never paid out', async () => {
    t.clock.set('2026-07-01T08:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const o = owner.client;
    await buyLicences(o, orgId, 3); // 3 × 3000 on 1 July = 9000
    t.clock.set('2026-07-31T22:30:00Z'); // 1 August in Berlin
    await runBilling(t);
    t.clock.set('2026-08-02T08:00:00Z');
    await o.signIn(owner.email);
    // Remove all three on 2 August: each 3000 × 30/31 = 2903.23 → 2903, so 3 × 2903 = 8709
    expect((await o.post(`/api/organisations/${orgId}/licences/remove`, { quantity: 3 })).json().creditMinor).toBe(8709);
    t.clock.set('2026-08-31T22:30:00Z'); // 1 September
    await runBilling(t);
    await o.signIn(owner.email);
    const [sept] = (await o.get(`/api/organisations/${orgId}/invoices`)).json().invoices;
    expect(sept).toMatchObject({ period: '2026-09', subtotalMinor: -8709, totalMinor: 0, creditCarriedMinor: 8709, status: 'nothing_due' });
    t.clock.set('2026-09-10T08:00:00Z');
    await o.signIn(owner.email);
    await buyLicences(o, orgId, 2); // 2 × 3000 × 21/30 = 4200
    t.clock.set('2026-09-30T22:30:00Z'); // 1 October
    await runBilling(t);
    await o.signIn(owner.email);
    const [oct] = (await o.get(`/api/organisations/${orgId}/invoices`)).json().invoices;
    // 6000 (2 licences for October) + 4200 = 10200, less the 8709 credit = 1491
    expect(oct).toMatchObject({ period: '2026-10', subtotalMinor: 10_200, creditAppliedMinor: 8709, totalMinor: 1491, creditCarriedMinor: 0 });
    const charged = await t.database.db.selectFrom('test_gateway_charges').select('amount_minor').where('reference', 'like', `${sept.id}%`).execute();
    expect(charged).toHaveLength(0);
  });

  it('"invoice pending charges now" bills the pending lines at once, and the month does not bill them again', async () => {
    t.clock.set('2026-11-03T08:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const o = owner.client;
    await buyLicences(o, orgId, 1); // 3000 × 28/30 = 2800
    const res = await o.post(`/api/organisations/${orgId}/invoices/pending`);
    expect(res.statusCode).toBe(201);
    expect(res.json().invoice).toMatchObject({ kind: 'interim', totalMinor: 2800 });
    expect((await o.post(`/api/organisations/${orgId}/invoices/pending`)).statusCode).toBe(409);
    t.clock.set('2026-11-30T23:30:00Z'); // 1 December in Berlin
    await runBilling(t);
    await o.signIn(owner.email);
    const [dec] = (await o.get(`/api/organisations/${orgId}/invoices`)).json().invoices;
    expect(dec).toMatchObject({ kind: 'monthly', period: '2026-12', subtotalMinor: 3000 });
  });
});

describe('collection, retries and payment required (R-LIC-7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a declined card fails on days 0, 1, 3 and 7, then practitioners are stopped until the owner pays', async () => {
    t.clock.set('2026-05-10T08:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t);
    const o = owner.client;
    expect((await o.post(`/api/organisations/${orgId}/payment-methods`, { number: '4000 0000 0000 0002', expMonth: 12, expYear: 2099, cvc: '123' })).statusCode).toBe(201);
    await buyLicences(o, orgId, 1);
    const physio = await verifiedClient(t, 'Pia Physio');
    const inv = await o.post(`/api/organisations/${orgId}/invitations`, { name: 'Pia Physio', email: physio.email });
    await physio.client.post(`/api/invitations/${inv.json().member.id}/accept`);
    expect((await physio.client.get(`/api/organisations/${orgId}/practitioner`)).statusCode).toBe(200);
    // The practitioner has a patient with an active programme.
    const patient = (await physio.client.post('/api/patients', { firstName: 'Paula', lastName: 'Patient', yearOfBirth: 1958, email: null })).json().patient;
    const stock = (await physio.client.get('/api/exercises?source=stock&limit=1')).json().exercises[0];
    const assigned = await physio.client.post(`/api/patients/${patient.id}/programmes`, { title: 'Shoulder', startDate: '2026-05-10', trackAdherence: true, items: [{ exerciseId: stock.id, sets: 2, reps: 8 }] });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const code = assigned.json().programme.code as string;
    const patientPhone = new Client(t.app, { ip: '203.0.113.90' });
    const openProgramme = async () => (await patientPhone.post('/api/programme-view', { code, yearOfBirth: 1958 })).json().programme;
    expect(await openProgramme()).toMatchObject({ readOnly: false, notice: null });

    t.clock.set('2026-05-31T22:30:00Z'); // 1 June: issued, first attempt fails (day 0)
    await runBilling(t);
    const invoice = await t.database.db.selectFrom('invoices').selectAll().where('organisation_id', '=', orgId).where('period', '=', '2026-06').executeTakeFirstOrThrow();
    const attempts = () => t.database.db.selectFrom('payment_attempts').select(['round', 'status', 'created_at']).where('invoice_id', '=', invoice.id).orderBy('attempt').execute();
    expect(await attempts()).toHaveLength(1);
    for (const [day, expected] of [[1, 2], [3, 3], [7, 4]] as const) {
      t.clock.set(new Date(invoice.issued_at.getTime() + day * 86_400_000 - 60_000));
      await t.deps.jobs.runDue();
      expect(await attempts()).toHaveLength(expected - 1); // not yet
      t.clock.set(new Date(invoice.issued_at.getTime() + day * 86_400_000 + 60_000));
      await t.deps.jobs.runDue();
      expect(await attempts()).toHaveLength(expected);
    }
    expect((await attempts()).map((a) => [a.round, a.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'failed'], [4, 'failed']]);
    const org = await t.database.db.selectFrom('organisations').select('status').where('id', '=', orgId).executeTakeFirstOrThrow();
    expect(org.status).toBe('payment_required');

    // The practitioner signs in and sees it; their work is refused with the reason.
    expect((await physio.client.signIn(physio.email, GOOD_PASSWORD)).statusCode).toBe(200);
    const ws = (await physio.client.get('/api/me/workspace')).json();
    expect(ws.organisations[0]).toMatchObject({ id: orgId, status: 'payment_required' });
    const work = await physio.client.get(`/api/organisations/${orgId}/practitioner`);
    expect(work.statusCode).toBe(402);
    expect(work.json().error).toMatchObject({ code: 'payment_required', details: { rule: 'R-LIC-7' } });
    expect((await physio.client.get('/api/patients')).statusCode).toBe(402);
    // The patient still opens the programme, read-only, with the notice to contact the practice.
    const paused = await openProgramme();
    expect(paused).toMatchObject({ readOnly: true, trackAdherence: false, items: [{ sets: 2, reps: 8 }] });
    expect(paused.notice).toMatch(/contact your practice/i);
    // A trial of their own lets the practitioner work, but not on the organisation's patients until it pays.
    expect((await physio.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    expect((await physio.client.get('/api/patients')).statusCode).toBe(200);
    expect((await physio.client.get(`/api/patients/${patient.id}`)).statusCode).toBe(404);
    expect(await openProgramme()).toMatchObject({ readOnly: true });

    // The owner adds a good card, removes the bad one, and retries now: access is back at once.
    await o.signIn(owner.email);
    expect((await o.post(`/api/organisations/${orgId}/payment-methods`, { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099, cvc: '123' })).statusCode).toBe(201);
    const bad = (await o.get(`/api/organisations/${orgId}/payment-methods`)).json().paymentMethods.find((p: { last4: string }) => p.last4 === '0002');
    expect((await o.delete(`/api/organisations/${orgId}/payment-methods/${bad.id}`)).statusCode).toBe(200);
    const pay = await o.post(`/api/organisations/${orgId}/invoices/${invoice.id}/pay`);
    expect(pay.json()).toMatchObject({ outcome: 'paid', invoice: { status: 'paid' } });
    expect((await physio.client.get(`/api/organisations/${orgId}/practitioner`)).statusCode).toBe(200);
    expect((await physio.client.get(`/api/patients/${patient.id}`)).statusCode).toBe(200);
    expect(await openProgramme()).toMatchObject({ readOnly: false, notice: null });
    // Exactly one successful charge for the invoice.
    const ok = await t.database.db.selectFrom('test_gateway_charges').select('outcome').where('reference', 'like', `${invoice.id}:%`).execute();
    expect(ok.filter((r) => JSON.parse(r.outcome).ok)).toHaveLength(1);
  });

  it('two "retry now" at once charge the card once (R-LIC-9)', async () => {
    t.clock.set('2026-07-10T08:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t);
    const o = owner.client;
    await o.post(`/api/organisations/${orgId}/payment-methods`, { number: '4000 0000 0000 0002', expMonth: 12, expYear: 2099, cvc: '123' });
    await buyLicences(o, orgId, 1);
    t.clock.set('2026-07-31T22:30:00Z');
    await runBilling(t); // the first round fails
    await o.signIn(owner.email);
    await o.post(`/api/organisations/${orgId}/payment-methods`, { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099, cvc: '123' });
    const invoice = await t.database.db.selectFrom('invoices').select(['id']).where('organisation_id', '=', orgId).executeTakeFirstOrThrow();
    const results = await Promise.all([1, 2, 3, 4].map(() => o.post(`/api/organisations/${orgId}/invoices/${invoice.id}/pay`)));
    expect(results.every((r) => r.statusCode < 500)).toBe(true);
    const charges = await t.database.db.selectFrom('test_gateway_charges').select('outcome').where('reference', 'like', `${invoice.id}:%`).execute();
    expect(charges.filter((c) => JSON.parse(c.outcome).ok)).toHaveLength(1);
    const inv = await t.database.db.selectFrom('invoices').select('status').where('id', '=', invoice.id).executeTakeFirstOrThrow();
    expect(inv.status).toBe('paid');
  });

  it('the backup card pays when the primary is declined', async () => {
    t.clock.set('2026-06-10T08:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t);
    const o = owner.client;
    await o.post(`/api/organisations/${orgId}/payment-methods`, { number: '4000 0000 0000 9995', expMonth: 12, expYear: 2099, cvc: '123' });
    await o.post(`/api/organisations/${orgId}/payment-methods`, { number: '5555 5555 5555 4444', expMonth: 12, expYear: 2099, cvc: '123' });
    await buyLicences(o, orgId, 1);
    t.clock.set('2026-06-30T22:30:00Z');
    await runBilling(t);
    const inv = await t.database.db.selectFrom('invoices').select(['status']).where('organisation_id', '=', orgId).executeTakeFirstOrThrow();
    expect(inv.status).toBe('paid');
  });

  it('manually billed organisations get invoices for manual collection, marked paid by the operator tool', async () => {
    t.clock.set('2026-06-10T08:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t);
    await t.database.db.updateTable('organisations').set({ billing_mode: 'manual' }).where('id', '=', orgId).execute();
    await buyLicences(owner.client, orgId, 2);
    t.clock.set('2026-06-30T22:30:00Z');
    await runBilling(t);
    const inv = await t.database.db.selectFrom('invoices').selectAll().where('organisation_id', '=', orgId).executeTakeFirstOrThrow();
    expect(inv).toMatchObject({ collection: 'manual', status: 'due' });
    expect(await t.database.db.selectFrom('payment_attempts').select('id').where('invoice_id', '=', inv.id).execute()).toHaveLength(0);
    await t.services.collection.markPaid(inv.number, { accountId: null, sessionId: null, organisationId: null, ip: null, userAgent: 'test', requestId: null });
    const marked = await t.database.db.selectFrom('audit_log').select(['action', 'organisation_id']).where('target_id', '=', inv.id).where('action', '=', 'invoice.marked_paid').execute();
    expect(marked).toEqual([{ action: 'invoice.marked_paid', organisation_id: orgId }]);
    const after = await t.database.db.selectFrom('invoices').select('status').where('id', '=', inv.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('paid');
  });
});

describe.runIf(usingPostgres)('two processes run the monthly job at the same moment (R-LIC-5, R-LIC-6)', () => {
  let t: TestApp;
  let second: Motus;
  let secondDb: DatabaseHandle;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    secondDb = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: 'memory://', poolSize: 10 });
    second = await buildApp(t.config, { clock: t.clock as Clock, database: secondDb, logger: false, runJobs: false });
  });
  afterAll(async () => {
    await second?.close();
    await secondDb?.close();
    await t?.close();
  });

  it('issues each invoice once, with consecutive unique numbers', async () => {
    t.clock.set('2026-03-05T08:00:00Z');
    const orgs: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { owner, orgId } = await organisationWithOwner(t, { card: true });
      await buyLicences(owner.client, orgId, 1 + (i % 3));
      orgs.push(orgId);
    }
    t.clock.set('2026-03-31T22:30:00Z'); // 1 April in Berlin
    await Promise.all([t.services.invoices.scheduleDue(), second.services.invoices.scheduleDue()]);
    await Promise.all([t.deps.jobs.runDue(3), second.deps.jobs.runDue(3), t.deps.jobs.runDue(3), second.deps.jobs.runDue(3)]);
    const invoices = await t.database.db.selectFrom('invoices').select(['organisation_id', 'number', 'status']).where('organisation_id', 'in', orgs).orderBy('number').execute();
    expect(invoices).toHaveLength(12);
    expect(new Set(invoices.map((i) => i.organisation_id)).size).toBe(12);
    const numbers = invoices.map((i) => Number(i.number));
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, k) => numbers[0]! + k));
    expect(invoices.every((i) => i.status === 'paid')).toBe(true);
    const charges = await t.database.db.selectFrom('test_gateway_charges').select('reference').execute();
    const perInvoice = new Map<string, number>();
    for (const c of charges) perInvoice.set(c.reference.split(':')[0]!, (perInvoice.get(c.reference.split(':')[0]!) ?? 0) + 1);
    expect([...perInvoice.values()].every((n) => n === 1)).toBe(true);
  });
});

