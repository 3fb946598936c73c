import { accountLogo } from '../accounts/data.ts';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { ImageMime } from '../platform/images.ts';

/** A logo as stored: PNG, JPEG or WebP, already checked and resized (src/accounts/logo.ts). */
export interface StoredLogo {
  mimeType: string;
  data: Buffer;
}

/** The organisation's logo, a Practice default (R-ORG-4); null without one. */
export async function organisationLogo(q: Queryable, organisationId: string): Promise<StoredLogo | null> {
  const row = await q.selectFrom('organisation_logos').select(['mime_type', 'data']).where('organisation_id', '=', organisationId).executeTakeFirst();
  // PGlite answers bytea as a Uint8Array, pg as a Buffer: callers get a Buffer either way (no copy).
  return row ? { mimeType: row.mime_type, data: Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength) } : null;
}

export async function storeOrganisationLogo(tx: Tx, organisationId: string, image: { mimeType: ImageMime; data: Buffer }, now: Date): Promise<void> {
  await tx
    .insertInto('organisation_logos')
    .values({ organisation_id: organisationId, mime_type: image.mimeType, data: image.data, updated_at: now })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ mime_type: image.mimeType, data: image.data, updated_at: now }))
    .execute();
}

/** Whether there was a logo to remove. */
export async function deleteOrganisationLogo(tx: Tx, organisationId: string): Promise<boolean> {
  const removed = await tx.deleteFrom('organisation_logos').where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

/**
 * The logo a patient sees from their practice (R-ORG-4, R-ENG-8): the logo of the organisation the
 * patient is treated in when it has one (a Practice default applies to all its practitioners),
 * otherwise the treating practitioner's own logo, otherwise none. `organisationId` and
 * `ownerAccountId` are the patient's.
 */
export async function practiceLogoFor(q: Queryable, who: { organisationId: string | null; ownerAccountId: string }): Promise<StoredLogo | null> {
  if (who.organisationId) {
    const logo = await organisationLogo(q, who.organisationId);
    if (logo) return logo;
  }
  return accountLogo(q, who.ownerAccountId);
}
