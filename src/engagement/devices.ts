import { patientPractice } from '../patients/data.ts';
import type { Clock } from '../platform/clock.ts';
import { newId, randomToken, sha256 } from '../platform/crypto.ts';
import type { Db, Queryable, Tx } from '../platform/db/database.ts';
import { UnauthenticatedError } from '../platform/errors.ts';
import type { PatientDevice } from '../platform/http/context.ts';
import { describeUserAgent } from '../sessions/user-agent.ts';
import type { DeviceView } from './schemas.ts';

/** A device's last-seen time is written at most this often, not on every request. */
const SEEN_EVERY_MS = 5 * 60 * 1000;

export const DEVICE_SIGNED_OUT = 'This device is no longer signed in to the programme. Enter your code and year of birth again.';

/**
 * R-PRG-2: a device that opened the programme with the code and year of birth gets its own token,
 * stored only as its hash. It is written in the caller's transaction, with its audit record.
 */
export async function issueDevice(tx: Tx, clock: Clock, programme: { id: string; patientId: string }, userAgent: string | null): Promise<{ deviceId: string; token: string }> {
  const token = randomToken();
  const deviceId = newId();
  const now = clock.now();
  await tx
    .insertInto('programme_devices')
    .values({ id: deviceId, programme_id: programme.id, patient_id: programme.patientId, token_hash: sha256(token), feed_hash: null, label: describeUserAgent(userAgent).slice(0, 200), created_at: now, last_seen_at: now, revoked_at: null, revoked_reason: null })
    .execute();
  return { deviceId, token };
}

/**
 * The device a bearer token names, with its programme's patient and practice, or 401. A signed-out
 * device, or one whose programme was deleted with its patient, is refused on its next request.
 */
export function createDeviceResolver(db: Db, clock: Clock) {
  return async function resolveDevice(token: string | undefined): Promise<PatientDevice> {
    if (!token) throw new UnauthenticatedError('unauthenticated', 'Open the programme with its code and your year of birth first.');
    const found = await db
      .selectFrom('programme_devices')
      .select(['id', 'programme_id', 'patient_id', 'last_seen_at'])
      .where('token_hash', '=', sha256(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!found) throw new UnauthenticatedError('device_signed_out', DEVICE_SIGNED_OUT);
    // Who treats the patient now: a transfer changes it, and the device's records follow (R-ENG-7).
    const patient = await patientPractice(db, found.patient_id);
    if (!patient) throw new UnauthenticatedError('device_signed_out', DEVICE_SIGNED_OUT);
    const now = clock.now();
    if (now.getTime() - found.last_seen_at.getTime() > SEEN_EVERY_MS) {
      await db.updateTable('programme_devices').set({ last_seen_at: now }).where('id', '=', found.id).execute();
    }
    return { deviceId: found.id, programmeId: found.programme_id, patientId: found.patient_id, organisationId: patient.organisation_id, ownerAccountId: patient.owner_account_id };
  };
}

/** Signs a device out; true when it was signed in. */
export async function revokeDevice(tx: Tx, clock: Clock, programmeId: string, deviceId: string, reason: 'signed_out' | 'practitioner'): Promise<boolean> {
  const result = await tx
    .updateTable('programme_devices')
    .set({ revoked_at: clock.now(), revoked_reason: reason, feed_hash: null })
    .where('id', '=', deviceId)
    .where('programme_id', '=', programmeId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deviceExists(q: Queryable, programmeId: string, deviceId: string): Promise<boolean> {
  return Boolean(await q.selectFrom('programme_devices').select('id').where('id', '=', deviceId).where('programme_id', '=', programmeId).executeTakeFirst());
}

export async function listDevices(q: Queryable, programmeId: string): Promise<DeviceView[]> {
  const rows = await q.selectFrom('programme_devices').selectAll().where('programme_id', '=', programmeId).orderBy('created_at', 'desc').limit(50).execute();
  return rows.map((d) => ({ id: d.id, label: d.label, createdAt: d.created_at.toISOString(), lastSeenAt: d.last_seen_at.toISOString(), signedOut: d.revoked_at !== null }));
}

/**
 * R-ENG-4: gives a signed-in device a new calendar feed address (stored only hashed), replacing its
 * old one; false when the device was signed out meanwhile.
 */
export async function setDeviceFeed(tx: Tx, deviceId: string, feedHash: Buffer): Promise<boolean> {
  const result = await tx.updateTable('programme_devices').set({ feed_hash: feedHash }).where('id', '=', deviceId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The signed-in device whose calendar feed address hashes to `feedHash`. */
export function deviceByFeed(q: Queryable, feedHash: Buffer): Promise<{ id: string; programme_id: string; patient_id: string } | undefined> {
  return q.selectFrom('programme_devices').select(['id', 'programme_id', 'patient_id']).where('feed_hash', '=', feedHash).where('revoked_at', 'is', null).executeTakeFirst();
}
