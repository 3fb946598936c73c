import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { createTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('sign-up and sign-in (R-ACC-1, R-ACC-2, R-SES-5)', () => {
  it('signs up, normalises the email, and signs in', async () => {
    const c = new Client(t.app);
    const email = uniqueEmail('Mixed.Case');
    const { account } = await c.signUp(`  ${email.toUpperCase()} `);
    expect(account.email).toBe(email.toLowerCase());
    const me = await c.get('/api/session');
    expect(me.statusCode).toBe(200);
    expect(me.json().account.emailVerified).toBe(false);
  });

  it('refuses a duplicate email with 409 naming the rule', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    const again = await new Client(t.app).post('/api/auth/sign-up', { email: email.toUpperCase(), password: GOOD_PASSWORD, name: 'Other' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'email_taken', details: { rule: 'R-ACC-1' } });
  });

  it('refuses a common password', async () => {
    const res = await new Client(t.app).post('/api/auth/sign-up', { email: uniqueEmail(), password: 'password1234', name: 'A' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: 'body.password', code: 'password_common' });
  });

  it('stores passwords only as argon2id hashes of at least m=19 MiB, t=2', async () => {
    const { email } = await new Client(t.app).signUp();
    const row = await t.database.db.selectFrom('accounts').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$/);
    const [, m, tCost] = /m=(\d+),t=(\d+)/.exec(row.password_hash)!;
    expect(Number(m)).toBeGreaterThanOrEqual(19456);
    expect(Number(tCost)).toBeGreaterThanOrEqual(2);
    expect(row.password_hash).not.toContain(GOOD_PASSWORD);
  });

  it('answers an unknown email and a wrong password with the same status and body', async () => {
    const { email } = await new Client(t.app).signUp();
    const wrong = await new Client(t.app).signIn(email, 'not the right password at all');
    const unknown = await new Client(t.app).signIn(uniqueEmail('nobody'), 'not the right password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(wrong.statusCode);
    expect(unknown.json().error).toEqual(wrong.json().error);
    expect(Object.keys(unknown.json()).sort()).toEqual(Object.keys(wrong.json()).sort());
  });
});
