import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Motus } from '../src/app.ts';
import type { Clock } from '../src/platform/clock.ts';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { createTestApp, usingPostgres, type TestApp } from './support/app.ts';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { buyLicences, organisationWithOwner } from './support/factories.ts';

// ENGINEERING.md: app processes are stateless, so several can share one PostgreSQL. Two app
// instances with their own connection pools serve the same people here; every invariant holds.
describe.runIf(usingPostgres)('two app instances on one PostgreSQL', () => {
  let t: TestApp;
  let second: Motus;
  let secondDb: DatabaseHandle;
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-05-15T10:00:00Z');
    secondDb = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: 'memory://', poolSize: 10 });
    second = await buildApp(t.config, { clock: t.clock as Clock, database: secondDb, logger: false });
  });
  afterAll(async () => {
    await second?.close();
    await secondDb?.close();
    await t?.close();
  });

  it('a sign-in on one instance replaces the session held on the other (R-SES-1)', async () => {
    const a = new Client(t.app);
    const { email } = await a.signUp();
    const b = new Client(second.app);
    expect((await b.signIn(email, GOOD_PASSWORD)).statusCode).toBe(200);
    const res = await a.get('/api/session');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_replaced');
  });

  it('invitations split across both instances never over-assign licences (R-LIC-9)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 3);
    // The same signed-in owner, talking to the other instance with the same cookie.
    const other = new Client(second.app);
    other.cookie = owner.client.cookie;
    other.csrfToken = owner.client.csrfToken;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? other : owner.client).post(`/api/organisations/${orgId}/invitations`, { name: `P ${i}`, email: uniqueEmail(`two${i}`), confirmedChargeMinor: 1645 }),
      ),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(results.filter((r) => r.json().licenceBought)).toHaveLength(37);
    const pool = (await other.get(`/api/organisations/${orgId}/licences`)).json().pool;
    expect(pool).toMatchObject({ purchased: 40, reserved: 40, free: 0 });
  });
});
