import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareImage } from './images.ts';

// SPEC §12: a file that is not the image it claims gets 415, never a 5xx, however it is broken.

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k += 1) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** The same PNG with its header claiming another size (and a correct checksum). */
function claimingSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

describe('prepareImage', () => {
  it('resizes a real picture into its box', async () => {
    const png = await sharp({ create: { width: 800, height: 400, channels: 3, background: { r: 10, g: 20, b: 30 } } }).png().toBuffer();
    const out = await prepareImage(png, 'image/png', 200);
    expect(out.mimeType).toBe('image/png');
    expect((await sharp(out.data).metadata()).width).toBe(200);
  });

  it('answers 415 for a file cut short after a valid header', async () => {
    const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 200, g: 0, b: 0 } } }).png().toBuffer();
    await expect(prepareImage(png.subarray(0, 100), 'image/png', 200)).rejects.toMatchObject({ status: 415 });
  });

  it('answers 415 for a small file that claims a huge picture, without decoding it', async () => {
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
    const bomb = claimingSize(png, 15_000, 15_000);
    expect((await sharp(bomb).metadata()).width).toBe(15_000);
    await expect(prepareImage(bomb, 'image/png', 200)).rejects.toMatchObject({ status: 415, message: expect.stringMatching(/million pixels/) });
  });
});
