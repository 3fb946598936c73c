import sharp from 'sharp';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { EXERCISES_PER_PAGE, handoutDates, handoutFileName, printable, programmeLink, renderHandout, rowsFor, type HandoutContent } from './handout.ts';

// The handout's layout and words (R-ENG-8, R-PRG-2).

const long = (words: number, word = 'stretch') => Array.from({ length: words }, (_, i) => `${word}${i}`).join(' ');

async function worstCase(exercises: number): Promise<HandoutContent> {
  const picture = await sharp({ create: { width: 600, height: 450, channels: 3, background: '#88aacc' } }).png().toBuffer();
  const logo = await sharp({ create: { width: 600, height: 100, channels: 4, background: { r: 10, g: 10, b: 10, alpha: 0.5 } } }).png().toBuffer();
  return {
    practice: { name: long(30, 'Practice'), practitioner: long(20, 'Name'), phone: '+44 20 7946 0000', logo },
    patientFirstName: long(20, 'Firstname'),
    title: long(60, 'Title'),
    dates: handoutDates('2026-01-05', '2026-12-31'),
    code: 'wwwwwwww',
    link: programmeLink('https://motus.example', 'wwwwwwww'),
    address: 'https://motus.example/programme',
    notice: 'This programme is paused. Contact your practice for help.',
    exercises: Array.from({ length: exercises }, (_, i) => ({
      name: `Marker${i} ${long(30, 'exercise')}`,
      dose: '3 sets of 10 repetitions, hold 5\u00a0s, rest 30\u00a0s — twice a day on Mon, Wed, Fri',
      instructions: long(1500, 'careful'),
      steps: Array.from({ length: 20 }, () => long(150, 'step')),
      picture: i % 3 === 2 ? null : picture,
    })),
    createdAt: new Date('2026-01-05T09:00:00Z'),
  };
}

describe('the handout (R-ENG-8)', () => {
  it('holds at least four exercises on every page however long the title, names and instructions are', async () => {
    const content = await worstCase(9);
    const bytes = await renderHandout(content);
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    expect(pdf.numPages).toBeLessThanOrEqual(3);
    const { text } = await extractText(pdf, { mergePages: false });
    const perPage = text.map((page) => content.exercises.filter((_, i) => page.includes(`${i + 1}. Marker${i}`)).length);
    expect(perPage.reduce((a, b) => a + b, 0)).toBe(9);
    for (const count of perPage.slice(0, -1)) expect(count).toBeGreaterThanOrEqual(EXERCISES_PER_PAGE);
  });

  it('rows shrink their pictures rather than hold fewer than four exercises on a crowded first page', () => {
    const roomy = rowsFor(520);
    expect(roomy.picture).toEqual({ width: 128, height: 96 });
    const tight = rowsFor(360);
    expect(tight.maxHeight * EXERCISES_PER_PAGE + (EXERCISES_PER_PAGE - 1) * 10).toBeLessThanOrEqual(360);
    expect(tight.picture.height).toBeLessThanOrEqual(tight.maxHeight);
    expect(tight.picture.width / tight.picture.height).toBeCloseTo(4 / 3, 1);
  });

  it('opens the same page as the programme email: /programme with the code (R-PRG-2)', () => {
    expect(programmeLink('https://motus.example', 'abcdefgh')).toBe('https://motus.example/programme?code=abcdefgh');
  });

  it('words the dates and the file name plainly', () => {
    expect(handoutDates('2026-03-02', '2026-04-26')).toBe('From 2 March 2026 to 26 April 2026');
    expect(handoutDates('2026-03-02', null)).toBe('From 2 March 2026');
    expect(handoutFileName('Knee after surgery, weeks 3–6')).toBe('programme-knee-after-surgery-weeks-3-6.pdf');
    expect(handoutFileName('Épaule : étirements')).toBe('programme-epaule-etirements.pdf');
    expect(handoutFileName('膝')).toBe('programme.pdf');
    expect(handoutFileName('"quoted"; name')).not.toMatch(/["\\;]/);
  });

  it('prints what the built-in fonts can draw, and plain letters or "?" for the rest', () => {
    expect(printable('Müller’s “knee” — 5\u00a0s… €')).toBe('Müller’s “knee” — 5\u00a0s… €');
    expect(printable('Łukasz Dvořák, Șerban')).toBe('Lukasz Dvorák, Serban');
    expect(printable('Ступня 🦶')).toBe('?????? ?');
    expect(printable('two\r\nlines\tand a tab')).toBe('two\nlines and a tab');
  });
});
