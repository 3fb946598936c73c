import { z } from 'zod';
import { defineContract } from '../platform/http/contract.ts';

export const draftParams = z.strictObject({
  editor: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { message: 'Lower-case letters, digits and dashes.' }),
  key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'Letters, digits, _ and -, at most 64.' }),
});

/** A draft is whatever the editor's form holds: any JSON object, up to 256 KB once serialised. */
export const DRAFT_MAX_BYTES = 256 * 1024;
/** Forms nest a few levels; a limit keeps serialising and storing a draft from exhausting the stack. */
export const DRAFT_MAX_DEPTH = 32;
export const draftBody = z.strictObject({
  data: z
    .record(z.string().max(200), z.unknown())
    .refine((d) => nestingDepth(d) <= DRAFT_MAX_DEPTH, { message: `The draft is nested more than ${DRAFT_MAX_DEPTH} levels deep.`, abort: true })
    .refine((d) => new TextEncoder().encode(JSON.stringify(d)).length <= DRAFT_MAX_BYTES, { message: 'The draft is larger than 256 KB.' }),
});

/** How deeply objects and arrays nest in a value, counted without recursion (stops past the limit). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0 && deepest <= DRAFT_MAX_DEPTH) {
    const [v, depth] = pending.pop()!;
    deepest = Math.max(deepest, depth);
    if (v !== null && typeof v === 'object') for (const child of Object.values(v)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** R-SES-2: a saved draft, exactly as the editor sent it. */
export const draftView = z.object({
  editor: z.string(),
  key: z.string(),
  data: z.record(z.string(), z.unknown()),
  updatedAt: z.iso.datetime(),
});
export type DraftView = z.infer<typeof draftView>;

const oneDraft = z.object({ draft: draftView });
const tags = ['drafts'];
// Decision 0004: once an editor keeps patient data in its drafts, their writes are audited like that data.
const DRAFTS_UNAUDITED =
  "A draft is the person's own unsubmitted form, readable only by them, and the change made when it is submitted is recorded. Drafts of editors that hold patient data (the programme builder) are not yet recorded, though decision 0004 asks for it: a known gap.";

/** R-SES-2: drafts kept on the server per account, editor and object. */
export const draftContracts = {
  list: defineContract({
    method: 'GET',
    path: '/api/drafts',
    access: 'signedIn',
    tags,
    summary: 'Your saved drafts',
    response: z.object({ drafts: z.array(draftView) }),
  }),
  get: defineContract({
    method: 'GET',
    path: '/api/drafts/:editor/:key',
    access: 'signedIn',
    tags,
    summary: 'One draft',
    params: draftParams,
    response: oneDraft,
  }),
  save: defineContract({
    method: 'PUT',
    path: '/api/drafts/:editor/:key',
    access: 'signedIn',
    tags,
    summary: 'Save a draft while typing',
    params: draftParams,
    body: draftBody,
    example: { data: { title: 'Knee rehabilitation, week 1', exercises: ['squat', 'lunge'] } },
    unaudited: DRAFTS_UNAUDITED,
    response: oneDraft,
  }),
  discard: defineContract({
    method: 'DELETE',
    path: '/api/drafts/:editor/:key',
    access: 'signedIn',
    tags,
    summary: 'Discard a draft',
    params: draftParams,
    unaudited: DRAFTS_UNAUDITED,
    status: 204,
    response: null,
  }),
};
