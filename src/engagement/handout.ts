import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { accountName, accountPractice } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { exercisesForItems } from '../exercises/data.ts';
import { renderIllustration } from '../exercises/illustration.ts';
import { STOCK_EXERCISES } from '../exercises/stock.ts';
import { practiceLogoFor } from '../organisations/logo.ts';
import { findVisiblePatient } from '../patients/service.ts';
import { inTransaction } from '../platform/db/database.ts';
import { auditActorOf, type SignedInContext } from '../platform/http/context.ts';
import { describeItem } from '../programmes/describe.ts';
import { effectiveState, programmeToday } from '../programmes/items.ts';
import { findVisibleProgramme } from '../programmes/programmes.ts';

/**
 * The printed handout (R-PRG-2, R-ENG-8): an A4 PDF the practitioner hands over, with the practice's
 * logo, a QR code that opens the programme on the patient's phone, the code in large letters, and
 * at least four exercises on each page. It names the patient by first name only.
 */

/** The page the patient opens with their code, as the programme email links it (R-PRG-2). */
export function programmeLink(publicUrl: string, code: string): string {
  return `${publicUrl}/programme?code=${encodeURIComponent(code)}`;
}

/** Where the patient types the code when they do not scan it. */
export function programmeAddress(publicUrl: string): string {
  return `${publicUrl}/programme`;
}

/** A picture ready for the PDF: PNG or JPEG bytes (the only formats a PDF embeds as they are). */
export type PdfPicture = Buffer;

export interface HandoutExercise {
  name: string;
  /** The dose in plain words: "3 sets of 10 repetitions, rest 30 s — Mon, Wed, Fri". */
  dose: string;
  /** The practitioner's own words for this exercise. */
  instructions: string | null;
  steps: string[];
  picture: PdfPicture | null;
}

export interface HandoutContent {
  practice: { name: string; practitioner: string; phone: string | null; logo: PdfPicture | null };
  patientFirstName: string;
  title: string;
  /** "From 5 January 2026 to 30 March 2026". */
  dates: string;
  code: string;
  /** What the QR code opens. */
  link: string;
  /** Where to type the code instead. */
  address: string;
  /** Why the programme cannot be used now, when it cannot. */
  notice: string | null;
  exercises: HandoutExercise[];
  createdAt: Date;
}

// ---------------------------------------------------------------------------------------------
// Words

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function longDate(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number);
  return LONG_DATE.format(new Date(Date.UTC(y!, m! - 1, d!)));
}

/** "From 5 January 2026 to 30 March 2026", or "From 5 January 2026" without an end date. */
export function handoutDates(startDate: string, endDate: string | null): string {
  return endDate ? `From ${longDate(startDate)} to ${longDate(endDate)}` : `From ${longDate(startDate)}`;
}

/** A file name the practitioner recognises, from the title, in plain ASCII. */
export function handoutFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug ? `programme-${slug}.pdf` : 'programme.pdf';
}

// The PDF's built-in fonts (nothing is downloaded or shipped) draw the Windows-1252 characters:
// Latin-1 and these few more. Other letters are printed without their accents where they have a
// plain base letter, and as "?" otherwise, rather than as a wrong glyph.
const WIN_ANSI_EXTRA = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021,
  0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);
const drawable = (c: number) => (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(c);

/** Letters that have a plain base letter but no decomposition to it. */
const BASE_LETTERS: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŧ: 'T', ŧ: 't', ĸ: 'k', Ŀ: 'L', ŀ: 'l' };

export function printable(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    const c = ch.codePointAt(0)!;
    if (ch === '\n' || drawable(c)) {
      out += ch;
      continue;
    }
    const base = BASE_LETTERS[ch] ?? ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += base !== '' && [...base].every((b) => drawable(b.codePointAt(0)!)) ? base : '?';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pictures

const STOCK_BY_SLUG = new Map(STOCK_EXERCISES.map((e) => [e.slug, e]));
/** A stock drawing is the same for everyone and never changes while the process runs. */
const stockPngs = new Map<string, Promise<Buffer>>();

/** The still drawing of a stock exercise (R-EXE-1) as a PNG at print resolution. */
function stockPicture(slug: string): Promise<Buffer> | null {
  const stock = STOCK_BY_SLUG.get(slug);
  if (!stock) return null;
  let png = stockPngs.get(slug);
  if (!png) {
    // Paper does not move (R-ENG-8): the still drawing, 240 × 180 at three times its size.
    png = sharp(Buffer.from(renderIllustration(stock.pose, { title: stock.name, still: true })), { density: 216 }).png({ palette: true }).toBuffer();
    png.catch(() => stockPngs.delete(slug));
    stockPngs.set(slug, png);
  }
  return png;
}

/** A stored picture (PNG, JPEG or WebP) as PNG or JPEG, no larger than print needs. */
async function forPdf(data: Buffer, box: { width: number; height: number }, keepTransparency: boolean): Promise<Buffer> {
  const resized = sharp(data).resize(box.width, box.height, { fit: 'inside', withoutEnlargement: true });
  return keepTransparency ? resized.png().toBuffer() : resized.flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer();
}

// ---------------------------------------------------------------------------------------------
// The document

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 36;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
/** The lowest line the exercises may reach; the page number sits below it. */
const BOTTOM = A4.height - MARGIN - 14;
const GAP = 10;
/** An exercise's picture at most, in the drawings' 4:3. */
const PICTURE = { width: 128, height: 96 };
const QR_SIZE = 104;
/** R-ENG-8: however much an exercise says, a page holds at least this many. */
export const EXERCISES_PER_PAGE = 4;

const INK = '#1f2933';
const MUTED = '#52606d';
const RULE = '#d9e2ec';
const PANEL = '#f0f4f8';
const ACCENT = '#2f6f8f';

type Doc = InstanceType<typeof PDFDocument>;

function write(doc: Doc, font: string, size: number, colour: string): Doc {
  return doc.font(font).fontSize(size).fillColor(colour);
}

/** The QR code as a PNG with its quiet zone, large enough to print crisply at QR_SIZE. */
export function qrPicture(link: string): Promise<Buffer> {
  return QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 10, color: { dark: '#000000', light: '#ffffff' } });
}

/** The top of the first page: the practice, the programme, and how to open it. Answers where it ends. */
function drawIntroduction(doc: Doc, c: HandoutContent, qr: Buffer): number {
  let y = MARGIN;
  // The practice: its logo on the left and its name on the right, or its name alone.
  const logoBox = { width: 150, height: 56 };
  const textX = c.practice.logo ? MARGIN + logoBox.width + 16 : MARGIN;
  const textWidth = MARGIN + CONTENT_WIDTH - textX;
  const align = c.practice.logo ? 'right' : 'left';
  const contact = [c.practice.practitioner !== c.practice.name ? c.practice.practitioner : null, c.practice.phone ? `Phone ${c.practice.phone}` : null].filter(Boolean).join('   ·   ');
  const namesHeight = contact ? 38 : 18;
  const bandHeight = c.practice.logo ? logoBox.height : namesHeight;
  const namesY = y + (bandHeight - namesHeight) / 2;
  if (c.practice.logo) doc.image(c.practice.logo, MARGIN, y, { fit: [logoBox.width, logoBox.height], valign: 'center' });
  write(doc, 'Helvetica-Bold', 14, INK).text(printable(c.practice.name), textX, namesY, { width: textWidth, align, lineBreak: false, ellipsis: true, height: 18 });
  if (contact) write(doc, 'Helvetica', 10, MUTED).text(printable(contact), textX, namesY + 22, { width: textWidth, align, lineBreak: false, ellipsis: true, height: 14 });
  y += bandHeight + 10;
  doc.moveTo(MARGIN, y).lineTo(MARGIN + CONTENT_WIDTH, y).lineWidth(1).strokeColor(RULE).stroke();
  y += 14;

  // The variable parts are held to at most a line (the title two), so that four exercises still fit below.
  const line = { width: CONTENT_WIDTH, lineBreak: false, ellipsis: true } as const;
  write(doc, 'Helvetica', 11, MUTED).text(printable(`Exercise programme for ${c.patientFirstName}`), MARGIN, y, { ...line, height: 14 });
  y = doc.y + 2;
  write(doc, 'Helvetica-Bold', 20, INK).text(printable(c.title), MARGIN, y, { width: CONTENT_WIDTH, height: 48, ellipsis: true });
  y = doc.y + 2;
  write(doc, 'Helvetica', 11, INK).text(c.dates, MARGIN, y, { ...line, height: 14 });
  y = doc.y + 12;

  // How to open it: scan, or type the code with the year of birth (R-PRG-2).
  const panelHeight = QR_SIZE + 16;
  doc.roundedRect(MARGIN, y, CONTENT_WIDTH, panelHeight, 8).fill(PANEL);
  doc.image(qr, MARGIN + 8, y + 8, { width: QR_SIZE, height: QR_SIZE, link: c.link });
  const tx = MARGIN + QR_SIZE + 24;
  const tw = MARGIN + CONTENT_WIDTH - tx - 12;
  write(doc, 'Helvetica-Bold', 13, INK).text('Open your programme on your phone', tx, y + 12, { width: tw });
  write(doc, 'Helvetica', 10, INK).text("Scan the square with your phone's camera, or go to", tx, doc.y + 3, { width: tw });
  write(doc, 'Helvetica-Bold', 10, ACCENT).text(c.address, tx, doc.y + 1, { width: tw, link: c.link, lineBreak: false, ellipsis: true, height: 13 });
  write(doc, 'Helvetica', 10, INK).text('and enter this code and your year of birth:', tx, doc.y + 1, { width: tw });
  write(doc, 'Helvetica-Bold', 30, INK).text(c.code, tx, doc.y + 5, { width: tw, characterSpacing: 2, lineBreak: false });
  y += panelHeight + 10;

  if (c.notice) {
    write(doc, 'Helvetica-Bold', 11, '#9b2c2c').text(printable(c.notice), MARGIN, y, { ...line, height: 14 });
    y = doc.y + 8;
  }
  write(doc, 'Helvetica-Bold', 13, INK).text('Your exercises', MARGIN, y, { width: CONTENT_WIDTH });
  return doc.y + 6;
}

interface Block {
  font: string;
  size: number;
  colour: string;
  text: string;
  gap: number;
  /** A long name or dose keeps room for what follows it. */
  maxLines: number;
}

const LINE_GAP = 0.5;

function exerciseBlocks(e: HandoutExercise, index: number): Block[] {
  const blocks: Block[] = [{ font: 'Helvetica-Bold', size: 12, colour: INK, text: printable(`${index + 1}. ${e.name}`), gap: 2, maxLines: 2 }];
  if (e.dose) blocks.push({ font: 'Helvetica-Bold', size: 10, colour: ACCENT, text: printable(e.dose), gap: 3, maxLines: 2 });
  if (e.instructions) blocks.push({ font: 'Helvetica-Oblique', size: 9.5, colour: INK, text: printable(e.instructions), gap: 3, maxLines: Infinity });
  if (e.steps.length > 0) blocks.push({ font: 'Helvetica', size: 8.5, colour: MUTED, text: printable(e.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')), gap: 0, maxLines: Infinity });
  return blocks;
}

/** The height a block takes at `width`, at most its lines. */
function measure(doc: Doc, b: Block, width: number): number {
  doc.font(b.font).fontSize(b.size);
  const natural = doc.heightOfString(b.text, { width, lineGap: LINE_GAP });
  return Math.min(natural, b.maxLines * (doc.currentLineHeight(true) + LINE_GAP));
}

/** How the exercises' rows are drawn: the tallest a row may be, and the size of its picture. */
interface Rows {
  maxHeight: number;
  picture: { width: number; height: number };
}

/**
 * R-ENG-8: rows share the first page's room with the introduction and still fit
 * EXERCISES_PER_PAGE there; the later pages, with no introduction, fit more.
 */
export function rowsFor(room: number): Rows {
  const maxHeight = Math.floor((room - (EXERCISES_PER_PAGE - 1) * GAP) / EXERCISES_PER_PAGE);
  const height = Math.min(PICTURE.height, maxHeight);
  return { maxHeight, picture: { width: Math.floor((height * 4) / 3), height } };
}

const textLeft = (e: HandoutExercise, rows: Rows) => (e.picture ? MARGIN + rows.picture.width + 14 : MARGIN);

/** The height of an exercise's row: its picture or its words, whichever is taller, at most the rows' limit. */
function rowHeight(doc: Doc, e: HandoutExercise, index: number, rows: Rows): number {
  const width = MARGIN + CONTENT_WIDTH - textLeft(e, rows);
  const natural = exerciseBlocks(e, index).reduce((sum, b) => sum + measure(doc, b, width) + b.gap, 0);
  return Math.min(rows.maxHeight, Math.max(natural, e.picture ? rows.picture.height : 0));
}

/** One exercise in a row of `height`: its picture on the left, its words on the right. */
function drawExercise(doc: Doc, e: HandoutExercise, index: number, y: number, height: number, rows: Rows): void {
  const textX = textLeft(e, rows);
  const width = MARGIN + CONTENT_WIDTH - textX;
  const blocks = exerciseBlocks(e, index);
  if (e.picture) {
    const { width: pw, height: ph } = rows.picture;
    doc.roundedRect(MARGIN, y, pw, ph, 4).lineWidth(0.75).strokeColor(RULE).stroke();
    doc.image(e.picture, MARGIN + 1, y + 1, { fit: [pw - 2, ph - 2], align: 'center', valign: 'center' });
  }
  let ty = y;
  for (const b of blocks) {
    const room = Math.min(y + height - ty, measure(doc, b, width));
    if (room < b.size) break;
    // What does not fit ends with an ellipsis: the patient's page has the rest.
    write(doc, b.font, b.size, b.colour).text(b.text, textX, ty, { width, height: room + 0.01, ellipsis: true, lineGap: LINE_GAP });
    ty += room + b.gap;
  }
}

/** The handout as PDF bytes. */
export async function renderHandout(c: HandoutContent): Promise<Buffer> {
  const qr = await qrPicture(c.link);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: printable(c.title), Author: printable(c.practice.name), Subject: 'Exercise programme', Creator: 'Motus', Producer: 'Motus', CreationDate: c.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  let y = drawIntroduction(doc, c, qr);
  const rows = rowsFor(BOTTOM - y);
  let onPage = 0;
  c.exercises.forEach((e, i) => {
    // Measured first, so that an exercise is never split over two pages.
    const height = rowHeight(doc, e, i, rows);
    if (y + height > BOTTOM && onPage > 0) {
      doc.addPage();
      y = MARGIN;
      onPage = 0;
    }
    if (onPage > 0) {
      doc.moveTo(MARGIN, y - GAP / 2).lineTo(MARGIN + CONTENT_WIDTH, y - GAP / 2).lineWidth(0.5).strokeColor(RULE).stroke();
    }
    drawExercise(doc, e, i, y, height, rows);
    y += height + GAP;
    onPage += 1;
  });

  // Each page says whose programme it is, should the pages come apart.
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const title = c.title.length > 70 ? `${c.title.slice(0, 69).trimEnd()}…` : c.title;
    write(doc, 'Helvetica', 8, MUTED).text(printable(`${title}  ·  code ${c.code}  ·  page ${i + 1} of ${pages.count}`), MARGIN, A4.height - MARGIN + 8, {
      width: CONTENT_WIDTH,
      align: 'center',
      height: 10,
      ellipsis: true,
    });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  return done;
}

// ---------------------------------------------------------------------------------------------
// The service

export function createHandoutService(deps: Deps) {
  const { db, clock, config } = deps;

  /** R-PRG-2, R-ENG-8: the handout of a programme whose patient the caller may see (else 404), recorded as a read (R-AUD-1). */
  async function handout(ctx: SignedInContext, programmeId: string): Promise<{ fileName: string; pdf: Buffer }> {
    const { actor } = ctx;
    const found = await inTransaction(db, async (tx) => {
      const p = await findVisibleProgramme(tx, actor.accountId, programmeId);
      const patient = await findVisiblePatient(tx, actor.accountId, p.patient_id);
      // The practice is the treating practitioner's, whoever prints (a colleague the patient is shared with, R-SHR-3).
      const practitioner = await accountName(tx, patient.owner_account_id);
      const practice = await accountPractice(tx, patient.owner_account_id);
      const logo = await practiceLogoFor(tx, { organisationId: patient.organisation_id, ownerAccountId: patient.owner_account_id });
      const exercises = p.items.length > 0 ? await exercisesForItems(tx, [...new Set(p.items.map((i) => i.exerciseId))], true, undefined) : [];
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.handout_printed', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
      return { p, firstName: patient.first_name, practitioner, practice, logo, exercises };
    });

    // Pictures are prepared after commit: nothing slow runs inside the transaction.
    const { p, practice } = found;
    const byId = new Map(found.exercises.map((e) => [e.id, e]));
    const exercises = await Promise.all(
      p.items.map(async (item): Promise<HandoutExercise> => {
        const e = byId.get(item.exerciseId);
        const image = e && (e as { image?: Buffer | null }).image;
        const picture = !e ? null : e.slug ? await stockPicture(e.slug) : image ? await forPdf(image, { width: 600, height: 450 }, false) : null;
        return {
          name: e?.name ?? 'Exercise no longer available',
          dose: describeItem(item),
          instructions: item.instructions,
          steps: e?.steps ?? [],
          picture,
        };
      }),
    );
    const state = effectiveState(p, programmeToday(deps));
    const pdf = await renderHandout({
      practice: {
        name: practice.name ?? found.practitioner,
        practitioner: found.practitioner,
        phone: practice.phone ?? null,
        logo: found.logo ? await forPdf(found.logo.data, { width: 600, height: 224 }, true) : null,
      },
      patientFirstName: found.firstName,
      title: p.title,
      dates: handoutDates(p.start_date, p.end_date),
      code: p.code,
      link: programmeLink(config.publicUrl, p.code),
      address: programmeAddress(config.publicUrl),
      notice: state === 'ended' ? 'This programme has ended.' : state === 'disabled' ? 'This programme is paused. Contact your practice for help.' : null,
      exercises,
      createdAt: clock.now(),
    });
    return { fileName: handoutFileName(p.title), pdf };
  }

  return { handout };
}

export type HandoutService = ReturnType<typeof createHandoutService>;
