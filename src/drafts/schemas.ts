import { z } from 'zod';

export const draftParams = z.strictObject({
  editor: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { message: 'Lower-case letters, digits and dashes.' }),
  key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'Letters, digits, _ and -, at most 64.' }),
});

/** A draft is whatever the editor's form holds: any JSON object, up to 256 KB once serialised. */
export const DRAFT_MAX_BYTES = 256 * 1024;
export const draftBody = z.strictObject({
  data: z
    .record(z.string().max(200), z.unknown())
    .refine((d) => new TextEncoder().encode(JSON.stringify(d)).length <= DRAFT_MAX_BYTES, { message: 'The draft is larger than 256 KB.' }),
});
