import QRCode from 'qrcode';
import sharp from 'sharp';
import { extractImages, extractLinks, extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programmeLink } from '../src/engagement/handout.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';
import { BOUNDARY, multipart } from './support/multipart.ts';

// The printed handout (R-PRG-2, R-ENG-8): an A4 PDF with the practice's logo, a QR code that opens
// the programme, the code, and at least four exercises per page; a read of patient data (R-AUD-1)
// seen only by whom the patient is visible to (R-PAT-2).

const A4 = { width: 595.28, height: 841.89 };

async function trialPractitioner(t: TestApp, name: string) {
  const p = await verifiedClient(t, name);
  expect((await p.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
  return p;
}

function putImage(t: TestApp, c: Client, url: string, field: string, data: Buffer) {
  return t.app.inject({
    method: 'PUT',
    url,
    payload: multipart([{ name: field, filename: 'picture.png', type: 'image/png', data }]),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, cookie: c.cookie!, 'x-csrf-token': c.csrfToken!, 'user-agent': c.userAgent },
  });
}

const solid = (r: number, g: number, b: number, width = 400, height = 200) => sharp({ create: { width, height, channels: 3, background: { r, g, b } } }).png().toBuffer();

/** A patient with a programme of the given stock exercises, plus a custom one with a picture and one without. */
async function programmeOf(t: TestApp, c: Client, stockCount: number) {
  const patient = await c.post('/api/patients', { firstName: 'Hanna', lastName: 'Zebrowski', yearOfBirth: 1957, email: 'hanna.zebrowski@example.org' });
  expect(patient.statusCode, patient.body).toBe(201);
  const patientId = patient.json().patient.id as string;
  const stock = (await c.get(`/api/exercises?source=stock&limit=${stockCount}`)).json().exercises as Array<{ id: string; name: string }>;
  const pictured = await c.post('/api/exercises', { name: 'Towel slide by the window', bodyRegion: 'knee', description: 'Slide the foot on a towel.', steps: ['Sit on a chair.', 'Slide the foot forward.', 'Slide it back.'] });
  const plain = await c.post('/api/exercises', { name: 'Count the stairs', bodyRegion: 'knee', description: 'Walk the stairs.' });
  expect((await putImage(t, c, `/api/exercises/${pictured.json().exercise.id}/image`, 'image', await solid(20, 120, 200, 800, 600))).statusCode).toBe(200);
  const exercises = [...stock, pictured.json().exercise, plain.json().exercise] as Array<{ id: string; name: string }>;
  const created = await c.post(`/api/patients/${patientId}/programmes`, {
    title: 'Strong knees for the garden',
    startDate: '2026-03-02',
    endDate: '2026-04-26',
    items: exercises.map((e, i) => ({
      exerciseId: e.id,
      sets: 3,
      reps: 8 + i,
      restSeconds: 30,
      weekdays: [1, 3, 5],
      instructions: i % 2 === 0 ? 'Go slowly and stop if the knee hurts more than a little; it is normal to feel the muscles working.' : null,
    })),
  });
  expect(created.statusCode, created.body).toBe(201);
  const programme = created.json().programme as { id: string; code: string };
  return { patientId, programme, exercises };
}

async function pdfOf(res: { rawPayload: Buffer }) {
  return getDocumentProxy(new Uint8Array(res.rawPayload));
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Whether `image` is the QR code of `link`: every module's centre is dark exactly where the code has a dark module. */
function isQrOf(image: { data: Uint8ClampedArray; width: number; height: number; channels: number }, link: string): boolean {
  const modules = QRCode.create(link, { errorCorrectionLevel: 'M' }).modules;
  const quiet = 4;
  if (image.width !== image.height || image.width % (modules.size + 2 * quiet) !== 0) return false;
  const scale = image.width / (modules.size + 2 * quiet);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      const x = Math.floor((quiet + col + 0.5) * scale);
      const y = Math.floor((quiet + row + 0.5) * scale);
      const dark = image.data[(y * image.width + x) * image.channels]! < 128;
      if (dark !== Boolean(modules.get(row, col))) return false;
    }
  }
  return true;
}

async function allImages(pdf: Awaited<ReturnType<typeof pdfOf>>) {
  const images = [];
  for (let page = 1; page <= pdf.numPages; page++) images.push(...(await extractImages(pdf, page)).map((image) => ({ ...image, page })));
  return images;
}

/** The colour of an image's centre pixel. */
const centre = (image: { data: Uint8ClampedArray; width: number; height: number; channels: number }) => {
  const i = (Math.floor(image.height / 2) * image.width + Math.floor(image.width / 2)) * image.channels;
  return [image.data[i], image.data[i + 1], image.data[i + 2]];
};

describe('the programme handout (R-PRG-2, R-ENG-8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    // The programmes below run from March to April 2026.
    t.clock.set(new Date('2026-02-20T09:00:00Z'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('nine exercises print on at most three A4 pages, at least four to a page, with the title, the code and every exercise', async () => {
    const p = await trialPractitioner(t, 'Hilde Handout');
    const { programme, exercises } = await programmeOf(t, p.client, 7);
    expect(exercises).toHaveLength(9);

    const res = await p.client.get(`/api/programmes/${programme.id}/handout.pdf`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('inline; filename="programme-strong-knees-for-the-garden.pdf"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const pdf = await pdfOf(res);
    expect(pdf.numPages).toBeLessThanOrEqual(3);
    for (let page = 1; page <= pdf.numPages; page++) {
      const viewport = (await pdf.getPage(page)).getViewport({ scale: 1 });
      expect([Math.round(viewport.width), Math.round(viewport.height)]).toEqual([Math.round(A4.width), Math.round(A4.height)]);
    }
    const { text: pages } = await extractText(pdf, { mergePages: false });
    const all = flat(pages.join(' '));
    expect(all).toContain('Strong knees for the garden');
    expect(all).toContain(programme.code);
    expect(all).toContain('Hanna');
    expect(all).toContain('From 2 March 2026 to 26 April 2026');
    // The dose in plain words, as the web app says it, and the practitioner's instructions.
    expect(all).toContain('3 sets of 8 repetitions, rest 30 s — Mon, Wed, Fri');
    expect(all).toContain('Go slowly and stop if the knee hurts');
    for (const e of exercises) expect(all, e.name).toContain(flat(e.name));
    // Every page but the last holds at least four exercises (R-ENG-8).
    const perPage = pages.map((text) => exercises.filter((e, i) => flat(text).includes(`${i + 1}. ${flat(e.name)}`)).length);
    expect(perPage.reduce((a, b) => a + b, 0)).toBe(9);
    for (const count of perPage.slice(0, -1)) expect(count).toBeGreaterThanOrEqual(4);
    // Nothing of the patient but the first name.
    for (const secret of ['Zebrowski', '1957', 'hanna.zebrowski@example.org']) expect(all).not.toContain(secret);
    expect(all).not.toContain('ended');
  });

  it('the QR code opens the programme page with its code, and each exercise with a picture has it printed', async () => {
    const p = await trialPractitioner(t, 'Quentin Quick');
    const { programme } = await programmeOf(t, p.client, 7);
    const res = await p.client.get(`/api/programmes/${programme.id}/handout.pdf`);
    expect(res.statusCode).toBe(200);
    const pdf = await pdfOf(res);
    const link = programmeLink(t.config.publicUrl, programme.code);
    // The same address the programme email links to (R-PRG-2).
    expect(link).toBe(`http://localhost:3000/programme?code=${programme.code}`);
    expect((await extractLinks(pdf)).links).toContain(link);

    const images = await allImages(pdf);
    const qr = images.filter((image) => isQrOf(image, link));
    expect(qr).toHaveLength(1);
    expect(qr[0]!.page).toBe(1);
    // Seven stock drawings and the one custom picture; the exercise without a picture has none; no logo is set.
    expect(images).toHaveLength(1 + 8);
    const near = (a: number | undefined, b: number) => Math.abs(a! - b) <= 3;
    expect(images.filter((image) => {
      const [r, g, b] = centre(image);
      return near(r, 20) && near(g, 120) && near(b, 200);
    })).toHaveLength(1);
  });

  it('the practice logo heads the handout: the organisation’s when it has one, else the practitioner’s own (R-ORG-4)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const pia = await joinedMember(t, owner.client, orgId, { name: 'Pia Printer', buyLicence: true });
    const { programme } = await programmeOf(t, pia.client, 2);
    const logoColours = async () => {
      const res = await pia.client.get(`/api/programmes/${programme.id}/handout.pdf`);
      expect(res.statusCode).toBe(200);
      const images = await allImages(await pdfOf(res));
      return images.filter((image) => image.page === 1).map(centre).filter(([r, g, b]) => (r === 200 && g === 30 && b === 30) || (r === 30 && g === 160 && b === 60));
    };
    expect(await logoColours()).toEqual([]);
    expect((await putImage(t, pia.client, '/api/account/logo', 'logo', await solid(30, 160, 60))).statusCode).toBe(200);
    expect(await logoColours()).toEqual([[30, 160, 60]]);
    expect((await putImage(t, owner.client, `/api/organisations/${orgId}/defaults/logo`, 'logo', await solid(200, 30, 30))).statusCode).toBe(200);
    expect(await logoColours()).toEqual([[200, 30, 30]]);
  });

  it('another practitioner gets 404 as for a programme that does not exist; the owner’s print is in the audit trail (R-PAT-2, R-AUD-1)', async () => {
    const p = await trialPractitioner(t, 'Paula Private');
    const stranger = await trialPractitioner(t, 'Sven Stranger');
    const { patientId, programme } = await programmeOf(t, p.client, 2);
    const refused = await stranger.client.get(`/api/programmes/${programme.id}/handout.pdf`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('not_found');
    expect(refused.body).not.toContain('Hanna');
    const unknown = await stranger.client.get(`/api/programmes/${crypto.randomUUID()}/handout.pdf`);
    expect(unknown.statusCode).toBe(404);
    expect(refused.json().error.message).toBe(unknown.json().error.message);

    const records = () =>
      t.database.db.selectFrom('audit_log').select(['account_id', 'outcome', 'details']).where('action', '=', 'programme.handout_printed').where('target_id', '=', programme.id).execute();
    expect(await records()).toEqual([]);
    expect((await p.client.get(`/api/programmes/${programme.id}/handout.pdf`)).statusCode).toBe(200);
    const [record, ...more] = await records();
    expect(more).toEqual([]);
    expect(record).toMatchObject({ account_id: p.accountId, outcome: 'success' });
    const details = typeof record!.details === 'string' ? JSON.parse(record!.details) : record!.details;
    expect(details).toEqual({ patientId });
  });
});
