import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { verifiedClient } from './support/factories.ts';

// R-EXE-1: the exercise library's search ranks name matches first, then body region and equipment,
// then the text of the description and steps; ties by name, and pages through that order.
// R-ENG-8: the stock illustration served to the browser moves, and its own policy lets it.

interface Found {
  id: string;
  name: string;
  bodyRegion: string;
  equipment: string[];
  description: string;
  steps: string[];
}

describe('exercise search (R-EXE-1)', () => {
  let t: TestApp;
  let p: { client: Client };

  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    p = await verifiedClient(t, 'Sally Search');
    expect((await p.client.post('/api/me/subscription/trial')).statusCode).toBeLessThan(300);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function create(body: Record<string, unknown>): Promise<string> {
    const res = await p.client.post('/api/exercises', { bodyRegion: 'full_body', description: 'Move.', steps: ['Begin.'], ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().exercise.id;
  }

  async function search(term: string, extra = '', limit = 200, offset = 0): Promise<{ exercises: Found[]; total: number }> {
    const res = await p.client.get(`/api/exercises?search=${encodeURIComponent(term)}&limit=${limit}&offset=${offset}${extra}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** Every result of a search, page after page. */
  async function allPages(term: string, extra: string, pageSize: number): Promise<Found[]> {
    const out: Found[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const page = await search(term, extra, pageSize, offset);
      out.push(...page.exercises);
      if (page.exercises.length < pageSize) {
        expect(out.length).toBe(page.total);
        return out;
      }
    }
  }

  it('a name match comes before a text match that sorts first alphabetically', async () => {
    await create({ name: 'Aardvark calf stretch', description: 'Gently zorbify the calf against the wall.' });
    await create({ name: 'Zorb roll', description: 'Roll the ball under the foot.' });
    const found = await search('zorb', '&source=custom');
    expect(found.exercises.map((e) => e.name)).toEqual(['Zorb roll', 'Aardvark calf stretch']);
  });

  it('ranks exact name, name start, word start, name contains, region or equipment, then text; ties by name', async () => {
    await create({ name: 'Abbot steps', steps: ['Hold the quill in your hand.'] }); // steps only
    await create({ name: 'Abbey hold', description: 'Keep the quill level.' }); // description only
    await create({ name: 'Hop', bodyRegion: 'quill zone' }); // region
    await create({ name: 'Hang', equipment: ['quill'] }); // equipment
    await create({ name: 'Maquillage stretch' }); // inside a word of the name
    await create({ name: 'Pen-quill press' }); // a word of the name (after a hyphen)
    await create({ name: 'Quill walk' }); // the name's start
    await create({ name: 'quill' }); // the whole name, whatever the case
    await create({ name: 'Zed', description: 'Nothing to do with it.' }); // not found
    const found = await search('Quill', '&source=custom');
    expect(found.exercises.map((e) => e.name)).toEqual(['quill', 'Quill walk', 'Pen-quill press', 'Maquillage stretch', 'Hang', 'Hop', 'Abbey hold', 'Abbot steps']);
    expect(found.total).toBe(8);
  });

  it('finds a stock exercise by its region and equipment labels, after the name matches and before the text', async () => {
    // "knee": names with the word first, then the knee region, then exercises that only mention knees.
    const knee = await allPages('knee', '&source=stock', 200);
    const tier = (e: Found) => (/knee/i.test(e.name) ? 0 : e.bodyRegion === 'knee' ? 1 : 2);
    expect(knee.some((e) => tier(e) === 0)).toBe(true);
    expect(knee.some((e) => tier(e) === 1)).toBe(true);
    expect(knee.some((e) => tier(e) === 2)).toBe(true);
    expect(knee.map(tier)).toEqual(knee.map(tier).toSorted((a, b) => a - b));
    // Within the region's rank, by name.
    const region = knee.filter((e) => tier(e) === 1).map((e) => e.name.toLowerCase());
    expect(region).toEqual(region.toSorted());

    // "weight" is in the label "Dumbbell or light weight": exercises using one come before those that only mention weight.
    const weight = await allPages('weight', '&source=stock', 200);
    const weightTier = (e: Found) => (/weight/i.test(e.name) ? 0 : e.equipment.includes('dumbbell') ? 1 : 2);
    expect(weight.some((e) => weightTier(e) === 1)).toBe(true);
    expect(weight.some((e) => weightTier(e) === 2)).toBe(true);
    expect(weight.map(weightTier)).toEqual(weight.map(weightTier).toSorted((a, b) => a - b));
  });

  it('pages through the ranked order without repeating or losing an exercise', async () => {
    // Two exercises of the same name: the order between them is fixed too.
    await create({ name: 'Twin reach', description: 'Reach for the shelf.' });
    await create({ name: 'Twin reach', description: 'Reach for the shelf.' });
    await create({ name: 'Reach up', description: 'Up.' });
    await create({ name: 'Shelf lift', description: 'Reach for the shelf.' });
    const cases = [
      ['reach', '&source=custom', [1, 2]],
      ['quill', '&source=custom', [1, 3]],
      ['knee', '', [7, 20]],
    ] as const;
    for (const [term, extra, sizes] of cases) {
      const whole = (await search(term, extra)).exercises.map((e) => e.id);
      expect(whole.length, term).toBeGreaterThan(2);
      for (const size of sizes) {
        const paged = (await allPages(term, extra, size)).map((e) => e.id);
        expect(paged, `${term} by ${size}`).toEqual(whole);
      }
      expect(new Set(whole).size, term).toBe(whole.length);
    }
  });

  it('treats the search as text, not as a pattern', async () => {
    await create({ name: 'Hold 50% effort' });
    await create({ name: 'Hold 500 effort' });
    expect((await search('50%', '&source=custom')).exercises.map((e) => e.name)).toEqual(['Hold 50% effort']);
    expect((await search('_', '&source=custom')).total).toBe(0);
  });

  it('keeps the other filters: a search within a region', async () => {
    const found = await search('knee', '&region=hip');
    expect(found.total).toBeGreaterThan(0);
    expect(found.exercises.every((e) => e.bodyRegion === 'hip')).toBe(true);
  });

  it('serves a two-pose stock illustration that moves, still for reduced motion, under a policy that allows its style (R-ENG-8)', async () => {
    const [bridge] = (await search('Bridge', '&source=stock')).exercises;
    expect(bridge?.name).toBe('Bridge');
    const svg = await p.client.get(`/api/exercises/${bridge!.id}/illustration`);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(svg.body).toContain('<animate attributeName="points"');
    expect(svg.body).toMatch(/<style>[^<]*@media \(prefers-reduced-motion: reduce\)\{[^<]*\.motion\{display:none\}/);
    // The picture's own policy allows its inline style sheet and nothing else; SMIL needs no script.
    const csp = String(svg.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(svg.body).not.toMatch(/<script|href=|url\(/);
  });
});
