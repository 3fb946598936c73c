import sharp from 'sharp';
import { UnsupportedMediaTypeError } from '../platform/errors.ts';

export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
const ACCEPTED = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
const LOGO_BOX = 512;

/**
 * R-ACC-1: a logo is an image of the type it claims (checked from its bytes, not its name), at most
 * 2 MB, resized to fit 512×512 and stored without metadata.
 */
export async function prepareLogo(data: Buffer, claimedType: string): Promise<{ mimeType: 'image/png' | 'image/jpeg' | 'image/webp'; data: Buffer }> {
  let format: string | undefined;
  try {
    format = (await sharp(data).metadata()).format;
  } catch {
    format = undefined;
  }
  const actual = format && format in ACCEPTED ? ACCEPTED[format as keyof typeof ACCEPTED] : undefined;
  if (!actual) throw new UnsupportedMediaTypeError('The file is not a PNG, JPEG or WebP image.');
  const claimed = claimedType === 'image/jpg' ? 'image/jpeg' : claimedType;
  if (claimed !== actual) throw new UnsupportedMediaTypeError(`The file says it is ${claimedType} but it is ${actual}.`);
  const resized = sharp(data).rotate().resize(LOGO_BOX, LOGO_BOX, { fit: 'inside', withoutEnlargement: true });
  const out = actual === 'image/jpeg' ? await resized.jpeg({ quality: 85 }).toBuffer() : actual === 'image/webp' ? await resized.webp().toBuffer() : await resized.png().toBuffer();
  return { mimeType: actual, data: out };
}
