import { prepareImage, type ImageMime } from '../platform/images.ts';

/** R-ACC-1: a logo is a PNG, JPEG or WebP image of at most 2 MB, resized to fit 512×512. */
export function prepareLogo(data: Buffer, claimedType: string): Promise<{ mimeType: ImageMime; data: Buffer }> {
  return prepareImage(data, claimedType, 512);
}
