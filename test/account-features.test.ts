import path from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { routeRecords } from '../src/platform/http/access.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { BOUNDARY, multipart } from './support/multipart.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const NEW_PASSWORD = 'a quite different passphrase';

interface Mail {
  subject: string;
  text_body: string;
  created_at: Date;
}

/** Mail kept in the outbox for one address, oldest first. */
async function mailTo(email: string): Promise<Mail[]> {
  // Some mail (a password reset link) is written by a queued job: let the current round finish.
  await t.deps.jobs.idle();
  return t.database.db
    .selectFrom('outbox_emails')
    .select(['subject', 'text_body', 'created_at'])
    .where('to_address', '=', email.toLowerCase())
    .orderBy('created_at', 'asc')
    .execute();
}

/** The token of an emailed link to `linkPath` (e.g. "/verify-email"). */
function tokenIn(mail: Mail | undefined, linkPath: string): string {
  const match = new RegExp(`${t.config.publicUrl}${linkPath}\\?token=([A-Za-z0-9_%-]+)`).exec(mail?.text_body ?? '');
  if (!match) throw new Error(`no ${linkPath} link in ${JSON.stringify(mail?.text_body)}`);
  return decodeURIComponent(match[1]!);
}

/** Mail to `email` holding a link to `linkPath`, oldest first. */
async function linksTo(email: string, linkPath: string): Promise<Mail[]> {
  return (await mailTo(email)).filter((m) => m.text_body.includes(`${t.config.publicUrl}${linkPath}?token=`));
}

function expectFieldError(res: { statusCode: number; json(): unknown }, fieldPath: string, code?: string) {
  expect(res.statusCode).toBe(400);
  const body = res.json() as { error: { code: string; details: { path: string; code: string }[] }; requestId: string };
  expect(body.error.code).toBe('validation_failed');
  expect(body.requestId).toEqual(expect.any(String));
  expect(body.error.details).toContainEqual(expect.objectContaining({ path: fieldPath, ...(code ? { code } : {}) }));
}

/** A password of `length` characters that is neither common nor repetitive. */
function longPassword(length: number): string {
  const alphabet = 'kq7Lm2xW9pZr4Tn8Vb3Hc6Jd5Fg';
  return Array.from({ length }, (_, i) => alphabet[(i * 7 + Math.floor(i / alphabet.length)) % alphabet.length]).join('');
}

describe('email verification (R-ACC-3)', () => {
  it('sign-up emails a /verify-email link; it confirms the address once, and a second use is refused', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    const mail = await mailTo(email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toMatch(/confirm/i);
    const token = tokenIn(mail[0], '/verify-email');

    const res = await new Client(t.app).post('/api/auth/verify-email', { token });
    expect(res.statusCode).toBe(200);
    expect(res.json().account).toMatchObject({ email, emailVerified: true });
    expect((await c.get('/api/session')).json().account.emailVerified).toBe(true);

    const again = await new Client(t.app).post('/api/auth/verify-email', { token });
    expectFieldError(again, 'body.token', 'token_invalid');
    expect(again.json().error.details[0].code).toBe('token_invalid');
  });

  it('resending replaces the earlier link; the new link works within 7 days', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    const first = tokenIn((await mailTo(email))[0], '/verify-email');
    t.clock.advance(MINUTE);
    const resent = await c.post('/api/auth/resend-verification');
    expect(resent.statusCode).toBe(202);
    const links = await linksTo(email, '/verify-email');
    expect(links).toHaveLength(2);
    const second = tokenIn(links[1], '/verify-email');
    expect(second).not.toBe(first);

    expectFieldError(await new Client(t.app).post('/api/auth/verify-email', { token: first }), 'body.token', 'token_invalid');
    expect((await c.get('/api/session')).json().account.emailVerified).toBe(false);

    t.clock.advance(7 * DAY - 2 * MINUTE);
    const ok = await new Client(t.app).post('/api/auth/verify-email', { token: second });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().account.emailVerified).toBe(true);
  });

  it('a link used more than 7 days after it was sent is refused and the address stays unconfirmed', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    t.clock.advance(MINUTE);
    expect((await c.post('/api/auth/resend-verification')).statusCode).toBe(202);
    const fresh = tokenIn((await linksTo(email, '/verify-email')).at(-1), '/verify-email');
    t.clock.advance(8 * DAY);
    expectFieldError(await new Client(t.app).post('/api/auth/verify-email', { token: fresh }), 'body.token', 'token_invalid');
    const again = new Client(t.app);
    expect((await again.signIn(email)).statusCode).toBe(200);
    expect((await again.get('/api/session')).json().account.emailVerified).toBe(false);
  });

  it('a confirmed address cannot ask for another link (409)', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    expect((await c.post('/api/auth/verify-email', { token: tokenIn((await mailTo(email))[0], '/verify-email') })).statusCode).toBe(200);
    const res = await c.post('/api/auth/resend-verification');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('already_verified');
    expect(await linksTo(email, '/verify-email')).toHaveLength(1);
  });
});

describe('password reset (R-ACC-2, R-SES-5)', () => {
  it('forgot-password answers 202 with the same body for a known and an unknown address; only the account gets mail', async () => {
    const { email } = await new Client(t.app).signUp();
    const unknown = uniqueEmail('nobody');
    const known = await new Client(t.app).post('/api/auth/forgot-password', { email: email.toUpperCase() });
    const notKnown = await new Client(t.app).post('/api/auth/forgot-password', { email: unknown });
    expect(known.statusCode).toBe(202);
    expect(notKnown.statusCode).toBe(202);
    expect(notKnown.json()).toEqual(known.json());
    expect(await linksTo(email, '/reset-password')).toHaveLength(1);
    expect(await mailTo(unknown)).toHaveLength(0);
  });

  it('the emailed link sets a new password once, ends every session, and only the new password signs in', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    expect((await new Client(t.app).post('/api/auth/forgot-password', { email })).statusCode).toBe(202);
    const token = tokenIn((await linksTo(email, '/reset-password'))[0], '/reset-password');

    const reset = await new Client(t.app).post('/api/auth/reset-password', { token, password: NEW_PASSWORD });
    expect(reset.statusCode).toBe(200);

    const ended = await c.get('/api/session');
    expect(ended.statusCode).toBe(401);
    expect(ended.json().error).toMatchObject({ code: 'session_ended', details: { reason: 'password_reset' } });

    const reuse = await new Client(t.app).post('/api/auth/reset-password', { token, password: 'yet another fine passphrase' });
    expectFieldError(reuse, 'body.token', 'token_invalid');

    const old = await new Client(t.app).signIn(email, GOOD_PASSWORD);
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('invalid_credentials');
    const fresh = new Client(t.app);
    expect((await fresh.signIn(email, NEW_PASSWORD)).statusCode).toBe(200);
    expect((await fresh.get('/api/session')).statusCode).toBe(200);
  });

  it('the link works within the hour and is refused after it; the password then stays unchanged', async () => {
    const { email: early } = await new Client(t.app).signUp();
    const { email: late } = await new Client(t.app).signUp();
    await new Client(t.app).post('/api/auth/forgot-password', { email: early });
    await new Client(t.app).post('/api/auth/forgot-password', { email: late });
    const earlyToken = tokenIn((await linksTo(early, '/reset-password'))[0], '/reset-password');
    const lateToken = tokenIn((await linksTo(late, '/reset-password'))[0], '/reset-password');

    t.clock.advance(59 * MINUTE);
    expect((await new Client(t.app).post('/api/auth/reset-password', { token: earlyToken, password: NEW_PASSWORD })).statusCode).toBe(200);
    t.clock.advance(2 * MINUTE);
    expectFieldError(await new Client(t.app).post('/api/auth/reset-password', { token: lateToken, password: NEW_PASSWORD }), 'body.token', 'token_invalid');

    expect((await new Client(t.app).signIn(late, GOOD_PASSWORD)).statusCode).toBe(200);
    expect((await new Client(t.app).signIn(late, NEW_PASSWORD)).statusCode).toBe(401);
  });

  it('a new password that breaks the rules is refused at body.password and the link still works afterwards', async () => {
    const { email } = await new Client(t.app).signUp();
    await new Client(t.app).post('/api/auth/forgot-password', { email });
    const token = tokenIn((await linksTo(email, '/reset-password'))[0], '/reset-password');
    expectFieldError(await new Client(t.app).post('/api/auth/reset-password', { token, password: 'kq7Lm2xW9pZ' }), 'body.password', 'too_small');
    expectFieldError(await new Client(t.app).post('/api/auth/reset-password', { token, password: 'password1234' }), 'body.password', 'password_common');
    expect((await new Client(t.app).post('/api/auth/reset-password', { token, password: NEW_PASSWORD })).statusCode).toBe(200);
    expect((await new Client(t.app).signIn(email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('password length: 11 characters are refused, 12, 129 and 256 are accepted and sign in, 257 are refused', async () => {
    const signUp = (password: string) => new Client(t.app).post('/api/auth/sign-up', { email: uniqueEmail('pw'), password, name: 'Length Test' });
    expectFieldError(await signUp(longPassword(11)), 'body.password', 'too_small');
    expectFieldError(await signUp(longPassword(257)), 'body.password', 'too_big');
    for (const length of [12, 129, 256]) {
      const password = longPassword(length);
      const email = uniqueEmail('pw');
      const created = await new Client(t.app).post('/api/auth/sign-up', { email, password, name: 'Length Test' });
      expect(created.statusCode, `length ${length}: ${created.body}`).toBe(201);
      expect((await new Client(t.app).signIn(email, password)).statusCode).toBe(200);
    }
  });

  it('a common password is refused at sign-up', async () => {
    const email = uniqueEmail('common');
    expectFieldError(await new Client(t.app).post('/api/auth/sign-up', { email, password: 'password1234', name: 'Common Choice' }), 'body.password', 'password_common');
    expect(await mailTo(email)).toHaveLength(0);
  });
});

describe('changing the password (R-ACC-2)', () => {
  it('a wrong current password is refused at body.currentPassword and changes nothing', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    const res = await c.post('/api/account/password', { currentPassword: 'not my password at all', newPassword: NEW_PASSWORD });
    expectFieldError(res, 'body.currentPassword', 'password_incorrect');
    expectFieldError(await c.post('/api/account/password', { currentPassword: GOOD_PASSWORD, newPassword: 'kq7Lm2xW9pZ' }), 'body.newPassword', 'too_small');
    expect((await new Client(t.app).signIn(email, NEW_PASSWORD)).statusCode).toBe(401);
  });

  it('the right one changes it: this session keeps working, the old password no longer signs in, the new one does', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    const res = await c.post('/api/account/password', { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ account: { email }, session: { csrfToken: expect.any(String) } });
    expect((await c.get('/api/session')).statusCode).toBe(200);
    expect((await c.patch('/api/account', { profession: 'Physiotherapist' })).statusCode).toBe(200);

    const old = await new Client(t.app).signIn(email, GOOD_PASSWORD);
    expect(old.statusCode).toBe(401);
    expect((await c.get('/api/session')).statusCode).toBe(200);
    expect((await new Client(t.app).signIn(email, NEW_PASSWORD)).statusCode).toBe(200);
  });
});

describe('profile (R-ACC-1)', () => {
  const profile = {
    name: 'Ada Lovelace',
    profession: 'Physiotherapist',
    phone: '+44 20 7946 0958',
    practice: {
      name: 'Riverside Physio',
      address: '1 River Street\nLondon',
      phone: '+1 (415) 555-0100',
      email: ' Front.Desk@Riverside.example ',
      website: 'https://riverside.example/team',
    },
  };

  it('PATCH /api/account edits name, profession, phone (stored as +442079460958) and practice details', async () => {
    const c = new Client(t.app);
    const { account } = await c.signUp();
    const res = await c.patch('/api/account', profile);
    expect(res.statusCode).toBe(200);
    const expected = {
      name: 'Ada Lovelace',
      profession: 'Physiotherapist',
      phone: '+442079460958',
      practice: { name: 'Riverside Physio', address: '1 River Street\nLondon', phone: '+14155550100', email: 'front.desk@riverside.example', website: 'https://riverside.example/team' },
    };
    expect(res.json().account).toMatchObject(expected);
    expect((await c.get('/api/account')).json().account).toMatchObject(expected);
    const row = await t.database.db.selectFrom('accounts').select(['phone', 'name']).where('id', '=', account.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ phone: '+442079460958', name: 'Ada Lovelace' });
  });

  it('a malformed phone, practice email or over-long name gets 400 naming the field, and nothing changes', async () => {
    const c = new Client(t.app);
    await c.signUp();
    await c.patch('/api/account', profile);
    const before = (await c.get('/api/account')).json().account;

    expectFieldError(await c.patch('/api/account', { phone: '020 7946 0958' }), 'body.phone');
    expectFieldError(await c.patch('/api/account', { phone: '+44 20 7946 0958 ext 12' }), 'body.phone');
    expectFieldError(await c.patch('/api/account', { practice: { email: 'front desk at riverside' } }), 'body.practice.email');
    expectFieldError(await c.patch('/api/account', { practice: { phone: 'call us' } }), 'body.practice.phone');
    expectFieldError(await c.patch('/api/account', { practice: { website: 'javascript:alert(1)' } }), 'body.practice.website');
    expectFieldError(await c.patch('/api/account', { name: 'N'.repeat(201) }), 'body.name', 'too_big');
    expectFieldError(await c.patch('/api/account', { name: '   ' }), 'body.name');
    // One bad field refuses the whole change: the good fields next to it are not saved either.
    expectFieldError(await c.patch('/api/account', { name: 'Changed Name', phone: 'nope' }), 'body.phone');

    expect((await c.get('/api/account')).json().account).toEqual(before);
    expect((await c.patch('/api/account', { name: 'N'.repeat(200) })).statusCode).toBe(200);
  });

  it('null clears the profession and a practice field; other fields are kept', async () => {
    const c = new Client(t.app);
    await c.signUp();
    await c.patch('/api/account', profile);
    const res = await c.patch('/api/account', { profession: null, practice: { website: null } });
    expect(res.statusCode).toBe(200);
    const account = res.json().account;
    expect(account.profession).toBeNull();
    expect(account.practice).not.toHaveProperty('website');
    expect(account).toMatchObject({ name: 'Ada Lovelace', phone: '+442079460958', practice: { name: 'Riverside Physio', email: 'front.desk@riverside.example' } });
  });

  it('the change is in the audit trail as account.profile_updated with the field names, not the values (R-AUD-1, R-AUD-2)', async () => {
    const c = new Client(t.app);
    const { account } = await c.signUp();
    expect((await c.patch('/api/account', profile)).statusCode).toBe(200);
    const records = await t.database.db
      .selectFrom('audit_log')
      .select(['details', 'outcome', 'target_id'])
      .where('account_id', '=', account.id)
      .where('action', '=', 'account.profile_updated')
      .execute();
    expect(records).toHaveLength(1);
    const record = records[0]!;
    const details = (typeof record.details === 'string' ? JSON.parse(record.details) : record.details) as { fields: string[] };
    expect(record).toMatchObject({ outcome: 'success', target_id: account.id });
    expect([...details.fields].sort()).toEqual(['name', 'phone', 'practice.address', 'practice.email', 'practice.name', 'practice.phone', 'practice.website', 'profession'].sort());
    const text = JSON.stringify(record.details);
    for (const value of ['Lovelace', '7946', 'Physiotherapist', 'Riverside', 'River Street', 'riverside.example', '555']) expect(text).not.toContain(value);
  });
});

describe('logo (R-ACC-1, SPEC §12)', () => {
  function upload(c: Client, payload: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) {
    return t.app.inject({
      method: 'PUT',
      url: '/api/account/logo',
      payload,
      headers: { 'content-type': contentType, cookie: c.cookie!, 'x-csrf-token': c.csrfToken!, 'user-agent': c.userAgent },
    });
  }

  const logoFile = (data: Buffer | string, type = 'image/png', filename = 'logo.png') => multipart([{ name: 'logo', filename, type, data }]);

  let redPng: Buffer;
  beforeAll(async () => {
    redPng = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 220, g: 20, b: 20 } } }).png().toBuffer();
  });

  async function storedLogo(c: Client): Promise<Buffer | null> {
    const res = await c.get('/api/account/logo');
    return res.statusCode === 200 ? res.rawPayload : null;
  }

  it('a 1200×800 PNG is stored resized to fit 512×512 and served back as image/png', async () => {
    const c = new Client(t.app);
    await c.signUp();
    const res = await upload(c, logoFile(redPng));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().account.hasLogo).toBe(true);
    expect((await c.get('/api/account')).json().account.hasLogo).toBe(true);

    const logo = await c.get('/api/account/logo');
    expect(logo.statusCode).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    const meta = await sharp(logo.rawPayload).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(512);
    expect(meta.height).toBeLessThanOrEqual(512);
    expect(Math.abs(meta.height! - 341)).toBeLessThanOrEqual(1);
    const { data } = await sharp(logo.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([220, 20, 20]);
  });

  it('a file over 2 MB gets 413 and nothing is stored; an earlier logo is kept', async () => {
    const c = new Client(t.app);
    await c.signUp();
    const big = logoFile(randomBytes(2.5 * 1024 * 1024));
    const refused = await upload(c, big);
    expect(refused.statusCode).toBe(413);
    expect(refused.json().error.code).toBe('payload_too_large');
    expect(await storedLogo(c)).toBeNull();
    expect((await c.get('/api/account')).json().account.hasLogo).toBe(false);

    expect((await upload(c, logoFile(redPng))).statusCode).toBe(200);
    const kept = await storedLogo(c);
    expect((await upload(c, big)).statusCode).toBe(413);
    expect(await storedLogo(c)).toEqual(kept);
  });

  it('a file that is not the image type it claims gets 415: a JPEG or a text file labelled image/png', async () => {
    const c = new Client(t.app);
    await c.signUp();
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
    for (const payload of [logoFile(jpeg), logoFile('This is not an image at all.\n', 'image/png', 'notes.png')]) {
      const res = await upload(c, payload);
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('unsupported_media_type');
    }
    expect(await storedLogo(c)).toBeNull();
    // The same JPEG, labelled as what it is, is accepted.
    const ok = await upload(c, logoFile(jpeg, 'image/jpeg', 'logo.jpg'));
    expect(ok.statusCode).toBe(200);
    expect((await c.get('/api/account/logo')).headers['content-type']).toBe('image/jpeg');
  });

  it('an upload that cannot be read (no boundary, cut short, no file) gets 400, never a server error', async () => {
    const c = new Client(t.app);
    await c.signUp();
    const whole = logoFile(redPng);
    const noBoundary = await upload(c, whole, 'multipart/form-data');
    const cutShort = await upload(c, whole.subarray(0, 200));
    const noFile = await upload(c, multipart([{ name: 'other', filename: 'logo.png', type: 'image/png', data: redPng }]));
    for (const res of [noBoundary, cutShort, noFile]) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    expect(noFile.json().error.details[0].path).toBe('body.logo');
    expect(await storedLogo(c)).toBeNull();
  });

  it('DELETE removes the logo', async () => {
    const c = new Client(t.app);
    await c.signUp();
    expect((await upload(c, logoFile(redPng))).statusCode).toBe(200);
    const res = await c.delete('/api/account/logo');
    expect(res.statusCode).toBe(200);
    expect(res.json().account.hasLogo).toBe(false);
    const gone = await c.get('/api/account/logo');
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
  });
});

describe('drafts kept on the server (R-SES-2)', () => {
  const draft = {
    title: 'Knee rehabilitation — week 2',
    notes: 'Ünïcödé ✓ 日本語 עברית 🦵🏽 "quoted" \\ backslash\nsecond line\ttab',
    exercises: [
      { id: 1, name: 'Straight leg raise', reps: 12, sets: 3, weightKg: 2.5, sides: ['left', 'right'], done: false, comment: null },
      { id: 2, name: 'Wall squat', holdSeconds: 30, done: true, comment: '' },
    ],
    nested: { a: { b: { c: [1, [2, [3, { d: 'deep' }]]] } } },
    empty: {},
    none: [],
    numbers: [0, -0.125, 1e-7, 1234567890123, 3.141592653589793],
  };

  it('PUT, GET and DELETE /api/drafts/profile/me round-trip the draft exactly', async () => {
    const c = new Client(t.app);
    await c.signUp();
    const saved = await c.put('/api/drafts/profile/me', { data: draft });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().draft).toMatchObject({ editor: 'profile', key: 'me' });

    const read = await c.get('/api/drafts/profile/me');
    expect(read.statusCode).toBe(200);
    expect(read.json().draft.data).toStrictEqual(draft);
    const list = await c.get('/api/drafts');
    expect(list.json().drafts).toEqual([expect.objectContaining({ editor: 'profile', key: 'me', data: draft })]);

    const changed = { ...draft, title: 'Knee rehabilitation — week 3' };
    expect((await c.put('/api/drafts/profile/me', { data: changed })).statusCode).toBe(200);
    expect((await c.get('/api/drafts/profile/me')).json().draft.data).toStrictEqual(changed);

    expect((await c.delete('/api/drafts/profile/me')).statusCode).toBe(204);
    const gone = await c.get('/api/drafts/profile/me');
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
  });

  it('another account cannot read, list or discard it: 404, as for a draft that does not exist', async () => {
    const owner = new Client(t.app);
    await owner.signUp();
    await owner.put('/api/drafts/profile/me', { data: draft });
    const other = new Client(t.app);
    await other.signUp();
    const read = await other.get('/api/drafts/profile/me');
    expect(read.statusCode).toBe(404);
    expect(read.json().error.code).toBe('not_found');
    expect(read.body).not.toContain('Knee');
    expect((await other.get('/api/drafts')).json().drafts).toEqual([]);
    await other.delete('/api/drafts/profile/me');
    expect((await owner.get('/api/drafts/profile/me')).json().draft.data).toStrictEqual(draft);
  });

  it('a draft over 256 KB gets 400 and the saved draft is kept', async () => {
    const c = new Client(t.app);
    await c.signUp();
    await c.put('/api/drafts/profile/me', { data: draft });
    const res = await c.put('/api/drafts/profile/me', { data: { notes: 'x'.repeat(300 * 1024) } });
    expectFieldError(res, 'body.data');
    expect((await c.get('/api/drafts/profile/me')).json().draft.data).toStrictEqual(draft);
  });

  it('an invalid editor name or key gets 400 at params.editor / params.key', async () => {
    const c = new Client(t.app);
    await c.signUp();
    expectFieldError(await c.put('/api/drafts/Profile/me', { data: draft }), 'params.editor');
    expectFieldError(await c.put('/api/drafts/pro%20file/me', { data: draft }), 'params.editor');
    expectFieldError(await c.get('/api/drafts/profile/m%C3%A9'), 'params.key');
    expect((await c.get('/api/drafts')).json().drafts).toEqual([]);
  });

  it('survives a session replacement: after session_replaced and a new sign-in, the draft is offered back unchanged (R-SES-1)', async () => {
    const a = new Client(t.app, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0' });
    const { email } = await a.signUp();
    expect((await a.put('/api/drafts/programme-builder/new', { data: draft })).statusCode).toBe(200);

    const b = new Client(t.app, { ip: '203.0.113.9' });
    expect((await b.signIn(email)).statusCode).toBe(200);
    const refused = await a.put('/api/drafts/programme-builder/new', { data: { title: 'typed after being signed out' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('session_replaced');

    expect((await a.signIn(email)).statusCode).toBe(200);
    const back = await a.get('/api/drafts/programme-builder/new');
    expect(back.statusCode).toBe(200);
    expect(back.json().draft.data).toStrictEqual(draft);
  });
});

describe('development mailbox', () => {
  it('GET /api/dev/mailbox lists kept mail with its links, and the link works', async () => {
    const { email } = await new Client(t.app).signUp();
    const res = await t.app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${encodeURIComponent(email)}` });
    expect(res.statusCode).toBe(200);
    const messages = res.json().messages as { to: string; subject: string; links: string[] }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: email, subject: expect.stringMatching(/confirm/i) });
    const link = messages[0]!.links.find((l) => l.startsWith(`${t.config.publicUrl}/verify-email?token=`));
    expect(link).toBeDefined();
    const token = new URL(link!).searchParams.get('token')!;
    expect((await new Client(t.app).post('/api/auth/verify-email', { token })).statusCode).toBe(200);
  });

  it('with DEV_MAILBOX=false the route does not exist', async () => {
    const off = await createTestApp({ env: { DEV_MAILBOX: 'false' } });
    try {
      const res = await off.app.inject({ method: 'GET', url: '/api/dev/mailbox' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
      expect((routeRecords.get(off.app) ?? []).map((r) => r.url)).not.toContain('/api/dev/mailbox');
      expect((routeRecords.get(t.app) ?? []).map((r) => r.url)).toContain('/api/dev/mailbox');
    } finally {
      await off.close();
    }
  });
});

describe('your own activity (R-AUD-4)', () => {
  it("GET /api/account/activity returns the person's own records, newest first, and never another account's", async () => {
    const a = new Client(t.app);
    const { account: accountA } = await a.signUp();
    t.clock.advance(MINUTE);
    expect((await a.patch('/api/account', { profession: 'Physiotherapist' })).statusCode).toBe(200);
    t.clock.advance(MINUTE);
    const b = new Client(t.app);
    const { account: accountB } = await b.signUp();
    await b.patch('/api/account', { profession: 'Osteopath' });

    const res = await a.get('/api/account/activity');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: number; at: string; action: string; targetId: string | null }[];
    expect(items[0]!.action).toBe('account.profile_updated');
    expect(items.map((i) => i.action)).toEqual(expect.arrayContaining(['account.profile_updated', 'account.sign_in', 'account.signed_up']));
    expect(items.indexOf(items.find((i) => i.action === 'account.sign_in')!)).toBeGreaterThan(0);
    const times = items.map((i) => Date.parse(i.at));
    expect(times).toEqual([...times].sort((x, y) => y - x));

    const own = await t.database.db.selectFrom('audit_log').select('id').where('account_id', '=', accountA.id).execute();
    expect(items.map((i) => i.id).sort()).toEqual(own.map((r) => r.id).sort());
    const theirs = await t.database.db.selectFrom('audit_log').select('id').where('account_id', '=', accountB.id).execute();
    expect(theirs.length).toBeGreaterThan(0);
    expect(items.map((i) => i.id)).not.toEqual(expect.arrayContaining([theirs[0]!.id]));
    expect(JSON.stringify(items)).not.toContain(accountB.id);

    const first = await a.get('/api/account/activity?limit=1');
    expect(first.json().items).toEqual([items[0]]);
    const rest = await a.get(`/api/account/activity?before=${items[0]!.id}`);
    expect(rest.json().items).toEqual(items.slice(1));
  });
});

describe('configuration (ENGINEERING §3)', () => {
  for (const [name, value] of [
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://x'],
    ['SESSION_IDLE_MINUTES', '0'],
    ['ARGON2_MEMORY_KIB', '1024'],
    ['LOG_LEVEL', 'loud'],
  ] as const) {
    it(`${name}=${value} stops start-up with a message naming ${name}`, () => {
      let error: unknown;
      try {
        loadConfig({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(name);
      expect((error as ConfigError).problems).toHaveLength(1);
      expect((error as ConfigError).problems[0]).toMatch(new RegExp(`^${name}:`));
    });
  }

  it('the development mailbox cannot be switched on in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://motus.example', DEV_MAILBOX: 'true' })).toThrow(/DEV_MAILBOX/);
  });

  it('the defaults give the embedded database (PGlite) in ./data, with the SPEC session limits', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.port).toBe(3000);
    expect(config.session).toEqual({ idleMinutes: 60, absoluteHours: 12 });
    expect(config.argon2.memoryKiB).toBeGreaterThanOrEqual(19456);
    expect(config.argon2.timeCost).toBeGreaterThanOrEqual(2);
    expect(loadConfig({ PORT: '8080', SESSION_IDLE_MINUTES: '30' })).toMatchObject({ port: 8080, session: { idleMinutes: 30 } });
  });
});
