import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proratedAmount } from '../src/licences/proration.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { latestLinkToken, organisationWithOwner } from './support/factories.ts';

// R-LIC-4 and R-LIC-9 as a property of the real service: for any sequence of console actions on any
// days of one month, the ledger equals the licences' days held, and the pool never over-assigns.

const PRICE = 3000; // the default licence price in minor units
const YEAR = 2026;
const MONTH = 5; // May: 31 days
const D = 31;

type Op =
  | { kind: 'day'; by: number }
  | { kind: 'buy'; n: number }
  | { kind: 'invite' }
  | { kind: 'accept'; i: number }
  | { kind: 'decline'; i: number }
  | { kind: 'expire'; i: number }
  | { kind: 'removeAccess'; i: number }
  | { kind: 'regrant'; i: number }
  | { kind: 'removeLicences'; n: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('day' as const), by: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('buy' as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('invite' as const) }),
  fc.record({ kind: fc.constant('invite' as const) }),
  fc.record({ kind: fc.constant('accept' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('decline' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('expire' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('removeAccess' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('regrant' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('removeLicences' as const), n: fc.integer({ min: 1, max: 3 }) }),
);

interface Member {
  id: string;
  email: string;
  state: 'invited' | 'active' | 'access_removed' | 'gone';
  invitedDay: number;
}

/** Invitations last 7 days (R-PRA-2): sent at 09:00 on day d, gone from 09:00 on day d + 7. */
const INVITATION_DAYS = 7;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function ledgerTotal(owner: Client, orgId: string): Promise<{ total: number; units: number }> {
  const res = await owner.get(`/api/organisations/${orgId}/ledger?limit=500`);
  const { entries } = res.json() as { entries: Array<{ kind: string; amountMinor: number; quantity: number }> };
  return { total: entries.reduce((n, e) => n + (e.kind === 'charge' ? e.amountMinor : -e.amountMinor), 0), units: entries.reduce((n, e) => n + e.quantity, 0) };
}

describe('licence ledger and pool under any sequence of actions (R-LIC-4, R-LIC-9)', () => {
  it('ledger = Σ price × days held / days in month; assigned + reserved ≤ purchased', async () => {
    const runs = Number(process.env.MOTUS_PROPERTY_RUNS ?? 12);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 22 }), async (ops) => {
        let day = 1;
        const setDay = () => t.clock.set(new Date(Date.UTC(YEAR, MONTH - 1, day, 9, 0, 0)));
        setDay();
        const { owner, orgId } = await organisationWithOwner(t, { card: true });
        const o = owner.client;
        // Each licence unit the model holds: the day it was bought; removals take the newest first.
        const held: number[] = [];
        const removed: Array<{ from: number; to: number }> = [];
        let expectedLedger = 0;
        const members: Member[] = [];
        const pool = () => ({
          purchased: held.length,
          assigned: members.filter((m) => m.state === 'active').length,
          reserved: members.filter((m) => m.state === 'invited').length,
        });
        const free = () => pool().purchased - pool().assigned - pool().reserved;
        const buyInModel = (n: number) => {
          for (let k = 0; k < n; k++) held.push(day);
          expectedLedger += proratedAmount(PRICE, n, { year: YEAR, month: MONTH, day });
        };
        const quoteFor = async (quantity: number, bulk: boolean) =>
          (await o.get(`/api/organisations/${orgId}/licences/quote?quantity=${quantity}&bulk=${bulk}`)).json().quote.amountMinor as number;
        const pick = (i: number, state: Member['state']) => {
          const candidates = members.filter((m) => m.state === state);
          return candidates.length ? candidates[i % candidates.length] : undefined;
        };

        for (const step of ops) {
          switch (step.kind) {
            case 'day':
              day = Math.min(D, day + step.by);
              setDay();
              for (const m of members) if (m.state === 'invited' && day >= m.invitedDay + INVITATION_DAYS) m.state = 'gone';
              // A day later the owner's session has expired (R-SES-4): they sign in again.
              expect((await o.signIn(owner.email)).statusCode).toBe(200);
              break;
            case 'buy': {
              const res = await o.post(`/api/organisations/${orgId}/licences/purchase`, { quantity: step.n, confirmedChargeMinor: await quoteFor(step.n, true) });
              expect(res.statusCode).toBe(200);
              buyInModel(step.n);
              break;
            }
            case 'invite': {
              const email = uniqueEmail('prop');
              const needs = free() <= 0;
              const res = await o.post(`/api/organisations/${orgId}/invitations`, { name: 'Prop Person', email, confirmedChargeMinor: needs ? await quoteFor(1, false) : undefined });
              expect(res.statusCode).toBe(201);
              expect(res.json().licenceBought).toBe(needs);
              if (needs) buyInModel(1);
              members.push({ id: res.json().member.id, email, state: 'invited', invitedDay: day });
              break;
            }
            case 'accept': {
              const m = pick(step.i, 'invited');
              if (!m) break;
              const token = await latestLinkToken(t, m.email, '/invitations/accept');
              const res = await new Client(t.app).post('/api/invitations/accept', { token, password: GOOD_PASSWORD });
              expect(res.statusCode).toBe(200);
              m.state = 'active';
              break;
            }
            case 'decline': {
              const m = pick(step.i, 'invited');
              if (!m) break;
              const token = await latestLinkToken(t, m.email, '/invitations/accept');
              expect((await new Client(t.app).post('/api/invitations/decline', { token })).statusCode).toBe(204);
              m.state = 'gone';
              break;
            }
            case 'expire': {
              const m = pick(step.i, 'invited');
              if (!m) break;
              // Move this invitation's deadline into the past, then let the sweep find it (R-PRA-2).
              await t.database.db.updateTable('memberships').set({ invitation_expires_at: new Date(t.clock.now().getTime() - 1000) }).where('id', '=', m.id).execute();
              await t.services.memberships.expireAllOverdue();
              m.state = 'gone';
              break;
            }
            case 'removeAccess': {
              const m = pick(step.i, 'active');
              if (!m) break;
              expect((await o.post(`/api/organisations/${orgId}/members/${m.id}/remove-access`)).statusCode).toBe(200);
              m.state = 'access_removed';
              break;
            }
            case 'regrant': {
              const m = pick(step.i, 'access_removed');
              if (!m) break;
              const needs = free() <= 0;
              const res = await o.post(`/api/organisations/${orgId}/members/${m.id}/grant-access`, { confirmedChargeMinor: needs ? await quoteFor(1, false) : undefined });
              expect(res.statusCode).toBe(200);
              if (needs) buyInModel(1);
              m.state = 'active';
              break;
            }
            case 'removeLicences': {
              const res = await o.post(`/api/organisations/${orgId}/licences/remove`, { quantity: step.n });
              if (free() >= step.n) {
                expect(res.statusCode).toBe(200);
                for (let k = 0; k < step.n; k++) removed.push({ from: held.pop()!, to: day });
                expectedLedger -= proratedAmount(PRICE, step.n, { year: YEAR, month: MONTH, day });
              } else {
                expect(res.statusCode).toBe(409);
                expect(res.json().error.details.rule).toBe('R-LIC-3');
              }
              break;
            }
          }
          const poolRes = await o.get(`/api/organisations/${orgId}/licences`);
          expect(poolRes.statusCode, poolRes.body).toBe(200);
          const actual = poolRes.json().pool;
          expect(actual).toMatchObject(pool());
          expect(actual.assigned + actual.reserved).toBeLessThanOrEqual(actual.purchased);
        }

        // Σ over licences of price × days held / D, exactly, against the ledger's per-line rounding.
        const exact = (held.reduce((n, a) => n + (D - a + 1), 0) + removed.reduce((n, r) => n + (r.to - r.from), 0)) * PRICE / D;
        const { total, units } = await ledgerTotal(o, orgId);
        expect(total).toBe(expectedLedger);
        // R-LIC-4 rounds each licence's share half-up: within half a minor unit per licence line.
        expect(Math.abs(total - exact)).toBeLessThanOrEqual(0.5 * units + 1e-9);
      }),
      { numRuns: runs, endOnFailure: true },
    );
  }, 600_000);
});
