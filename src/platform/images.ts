import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors.ts';

export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
/** Pixels a picture may have once decoded (about 8,000 × 5,000). */
export const IMAGE_MAX_PIXELS = 40_000_000;
const ACCEPTED = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
export type ImageMime = (typeof ACCEPTED)[keyof typeof ACCEPTED];

/**
 * An uploaded picture: of the type it claims (checked from its bytes, not its name), resized to fit
 * `box` × `box`, turned upright and stored without metadata (no camera location, no names).
 */
export async function prepareImage(data: Buffer, claimedType: string, box: number): Promise<{ mimeType: ImageMime; data: Buffer }> {
  let format: string | undefined;
  let pixels = 0;
  try {
    const meta = await sharp(data).metadata();
    format = meta.format;
    pixels = (meta.width ?? 0) * (meta.height ?? 0);
  } catch {
    format = undefined;
  }
  const actual = format && format in ACCEPTED ? ACCEPTED[format as keyof typeof ACCEPTED] : undefined;
  if (!actual) throw new UnsupportedMediaTypeError('The file is not a PNG, JPEG or WebP image.');
  const claimed = claimedType === 'image/jpg' ? 'image/jpeg' : claimedType;
  if (claimed !== actual) throw new UnsupportedMediaTypeError(`The file says it is ${claimedType} but it is ${actual}.`);
  // A small file may claim a huge picture, and decoding it would take gigabytes. A logo or an
  // exercise picture of at most 2 MB has no need for more.
  if (pixels > IMAGE_MAX_PIXELS) throw new UnsupportedMediaTypeError(`The picture is larger than ${IMAGE_MAX_PIXELS / 1_000_000} million pixels.`);
  // The header can be right and the rest broken (a file cut short): only the decoding tells.
  try {
    const resized = sharp(data, { limitInputPixels: IMAGE_MAX_PIXELS }).rotate().resize(box, box, { fit: 'inside', withoutEnlargement: true });
    const out = actual === 'image/jpeg' ? await resized.jpeg({ quality: 85 }).toBuffer() : actual === 'image/webp' ? await resized.webp().toBuffer() : await resized.png().toBuffer();
    return { mimeType: actual, data: out };
  } catch {
    throw new UnsupportedMediaTypeError(`The file is not a readable ${actual.slice('image/'.length).toUpperCase()} image: it may be damaged or cut short.`);
  }
}

/** The multipart limits of a route that takes one image: one file of at most 2 MB, nothing else. */
export const IMAGE_UPLOAD_LIMITS = { fileSize: IMAGE_MAX_BYTES, files: 1, fields: 0, parts: 2 };

/** What a multipart body may hold besides the file itself: its part headers and boundaries. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * The one image a multipart request sends in `field`: its bytes and the type it claims. A body the
 * parser cannot read (no boundary, cut short) is the sender's mistake: 400; the plugin's own errors
 * (file too large, too many parts) carry a status and keep it.
 *
 * SPEC §12, R-ACC-1, R-EXE-1: a file over IMAGE_MAX_BYTES gets 413 and nothing is stored. The
 * plugin's own check cannot be relied on: when the limit falls exactly between two chunks it ends
 * the file without an error, and the first 2 MB would be taken for the whole file. So the announced
 * length is checked before anything is read, and the file's own truncation mark after.
 */
export async function readImageUpload(req: FastifyRequest, field: string): Promise<{ data: Buffer; mimetype: string }> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > IMAGE_MAX_BYTES + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
  const unreadable = (err: unknown): never => {
    if (typeof (err as { statusCode?: unknown }).statusCode === 'number') throw err;
    throw ValidationError.field('body', 'upload_unreadable', `The upload could not be read. Send the image as multipart/form-data in the field "${field}".`);
  };
  const file = await req.file().catch(unreadable);
  if (!file || file.fieldname !== field) throw ValidationError.field(`body.${field}`, 'required', `Attach an image in the field "${field}".`);
  const data = await file.toBuffer().catch(unreadable);
  if (file.file.truncated || data.length > IMAGE_MAX_BYTES) throw tooLarge();
  return { data, mimetype: file.mimetype };
}

function tooLarge(): PayloadTooLargeError {
  return new PayloadTooLargeError(`The file is larger than ${IMAGE_MAX_BYTES / (1024 * 1024)} MB.`);
}
