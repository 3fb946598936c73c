import { recordAudit } from '../audit/record.ts';
import type { AuditActor } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import { issueDevice } from '../engagement/devices.ts';
import { practiceLogoFor } from '../organisations/logo.ts';
import { inTransaction, type Queryable } from '../platform/db/database.ts';
import type { ProgrammesTable } from '../platform/db/schema.ts';
import { ConflictError, NotFoundError, RateLimitedError } from '../platform/errors.ts';
import { patientPractice } from '../patients/data.ts';
import type { RequestContext } from '../platform/http/context.ts';
import { addressKey } from '../platform/throttle.ts';
import { licenceStanding } from '../subscriptions/standing.ts';
import { describeItems, effectiveState, programmeToday } from './items.ts';
import type { PatientProgrammeView, ProgrammeState } from './schemas.ts';

/** R-PRG-2: wrong code / year-of-birth attempts allowed per address and window. */
export const CODE_GUESS_LIMIT = 20;
export const CODE_GUESS_WINDOW_SECONDS = 15 * 60;
/** Wrong years of birth for one existing code, from all addresses together, per window. */
export const CODE_YEAR_GUESS_LIMIT = 10;

/** What the patient's page may do with a programme now (R-PRG-3, R-ENG-3). */
export interface PatientProgrammeAccess {
  state: ProgrammeState;
  /** Shown but not recorded in: ended, paused, or the practitioner cannot work in the patient's practice now. */
  readOnly: boolean;
  /** Why, in words a patient understands. */
  notice: string | null;
}

/**
 * R-PRG-3, R-ENG-3: a disabled or ended programme, or one whose practitioner cannot work now
 * (access removed, subscription lapsed, or payment required in the practice the patient is treated
 * in, even if the practitioner works elsewhere: R-LIC-7), is read-only with a notice.
 */
export async function patientProgrammeAccess(
  deps: Pick<Deps, 'clock' | 'config'>,
  q: Queryable,
  programme: Pick<ProgrammesTable, 'state' | 'end_date'>,
  patient: { ownerAccountId: string; organisationId: string | null },
): Promise<PatientProgrammeAccess> {
  const state = effectiveState(programme, programmeToday(deps));
  const standing = await licenceStanding(q, patient.ownerAccountId, deps.clock.now());
  const unpaidPractice = standing.sources.some((s) => s.organisationId === patient.organisationId && s.blocked === 'payment_required');
  const readOnly = state !== 'active' || !standing.canWork || unpaidPractice;
  const notice = readOnly
    ? state === 'ended'
      ? 'This programme has ended. Contact your practice if you need a new one.'
      : 'This programme is paused and can only be read. Contact your practice for help.'
    : null;
  return { state, readOnly, notice };
}

/** R-ENG-3: the one refusal of a write to a programme that is read-only now, with the page's notice. */
export const readOnlyRefusal = (notice: string | null) =>
  new ConflictError('programme_read_only', notice ?? 'This programme can only be read. Contact your practice for help.', { rule: 'R-ENG-3' });

/** What the patient's page may do with `programme` now, with the patient it belongs to (null when they are gone). */
export async function programmeAccessOf(deps: Pick<Deps, 'clock' | 'config'>, q: Queryable, programme: Pick<ProgrammesTable, 'state' | 'end_date' | 'patient_id'>) {
  const patient = await patientPractice(q, programme.patient_id);
  if (!patient) return null;
  return { patient, access: await patientProgrammeAccess(deps, q, programme, { ownerAccountId: patient.owner_account_id, organisationId: patient.organisation_id }) };
}

type Found = Awaited<ReturnType<typeof findForPatient>>;

/** A programme with what its page shows of the patient and the practitioner. */
function findForPatient(q: Queryable, by: { code: string } | { programmeId: string }) {
  let query = q
    .selectFrom('programmes as p')
    .innerJoin('patients as pt', 'pt.id', 'p.patient_id')
    .innerJoin('accounts as a', 'a.id', 'pt.owner_account_id')
    .selectAll('p')
    .select(['pt.year_of_birth', 'pt.first_name', 'pt.owner_account_id', 'pt.organisation_id', 'a.name as practitioner_name', 'a.practice']);
  query = 'code' in by ? query.where('p.code', '=', by.code) : query.where('p.id', '=', by.programmeId);
  return query
    .orderBy((eb) => eb.case().when('p.state', '<>', 'ended').then(0).else(1).end())
    .orderBy('p.assigned_at', 'desc')
    .executeTakeFirst();
}

/** The patient's page (R-PRG-2, R-PRG-3): no account, the code and the year of birth open it. */
export function createPatientPage(deps: Deps) {
  const { db, clock, throttle } = deps;

  async function pageOf(found: NonNullable<Found>, access: PatientProgrammeAccess): Promise<PatientProgrammeView> {
    const practice = found.practice as Record<string, string | undefined>;
    return {
      title: found.title,
      patientFirstName: found.first_name,
      practitioner: { name: found.practitioner_name, practice: practice.name ?? null, phone: practice.phone ?? null },
      startDate: found.start_date,
      endDate: found.end_date,
      state: access.state,
      readOnly: access.readOnly,
      notice: access.notice,
      trackAdherence: found.track_adherence && !access.readOnly,
      trackPain: found.track_pain && !access.readOnly,
      // The page names no ids: the patient has nothing to look up with them.
      items: (await describeItems(db, found.items, true)).map(({ exerciseId: _id, exercise, ...rest }) => {
        if (!exercise) return { ...rest, exercise: null };
        const { id: _exerciseId, ...shown } = exercise;
        return { ...rest, exercise: shown };
      }),
    };
  }

  /**
   * Wrong attempts are counted per address; once CODE_GUESS_LIMIT are used, even a right answer
   * waits for the window to pass. A device that opened the programme holds its own token and never
   * needs the code again, so nobody's wrong guesses can lock it out (R-PRG-2).
   */
  async function openAsPatient(ctx: RequestContext, input: { code: string; yearOfBirth: number }): Promise<{ programme: PatientProgrammeView; deviceToken: string }> {
    const key = `programme-code:${addressKey(ctx.ip)}`;
    const patientActor: AuditActor = { accountId: null, sessionId: null, organisationId: null, ip: ctx.ip, userAgent: ctx.userAgent, requestId: ctx.requestId };
    // Every attempt takes a slot first, in one statement, so that parallel guesses cannot all slip
    // under the limit; a right answer gives its slot back, so only wrong ones count.
    const used = await throttle.hit(key, CODE_GUESS_WINDOW_SECONDS);
    if (used.count > CODE_GUESS_LIMIT) {
      await inTransaction(db, (tx) => recordAudit(tx, clock, patientActor, { action: 'programme.code_guess_refused', details: { reason: 'throttled' } }, 'denied'));
      throw new RateLimitedError(used.retryAfterSeconds);
    }
    const found = await findForPatient(db, { code: input.code });
    // A known code's year of birth has about a hundred values: guesses at it are counted per code as
    // well, from every address together, so that many addresses cannot share the search.
    const codeKey = found ? `programme-year:${found.code}` : null;
    if (codeKey) {
      const perCode = await throttle.hit(codeKey, CODE_GUESS_WINDOW_SECONDS);
      if (perCode.count > CODE_YEAR_GUESS_LIMIT) {
        await inTransaction(db, (tx) => recordAudit(tx, clock, patientActor, { action: 'programme.code_guess_refused', details: { reason: 'throttled' } }, 'denied'));
        throw new RateLimitedError(perCode.retryAfterSeconds);
      }
    }
    if (!found || found.year_of_birth !== input.yearOfBirth) {
      await inTransaction(db, (tx) => recordAudit(tx, clock, patientActor, { action: 'programme.code_guess_refused', details: { reason: 'wrong' } }, 'failure'));
      throw new NotFoundError('programme with this code and year of birth');
    }
    await throttle.giveBack(key);
    if (codeKey) await throttle.giveBack(codeKey);
    const access = await patientProgrammeAccess(deps, db, found, { ownerAccountId: found.owner_account_id, organisationId: found.organisation_id });
    // R-PRG-2: the device keeps its own token, so the patient never types the code again on it.
    const deviceToken = await inTransaction(db, async (tx) => {
      const device = await issueDevice(tx, clock, { id: found.id, patientId: found.patient_id }, ctx.userAgent);
      const actor = { ...patientActor, organisationId: found.organisation_id };
      await recordAudit(tx, clock, actor, { action: 'programme.opened_by_patient', targetType: 'programme', targetId: found.id, details: { patientId: found.patient_id, readOnly: access.readOnly } });
      await recordAudit(tx, clock, actor, { action: 'programme.device_signed_in', targetType: 'programme', targetId: found.id, details: { patientId: found.patient_id, deviceId: device.deviceId } });
      return device.token;
    });
    return { deviceToken, programme: await pageOf(found, access) };
  }

  /** The page of the programme a signed-in device holds, with what it may do now. */
  async function pageForDevice(programmeId: string): Promise<{ page: PatientProgrammeView; access: PatientProgrammeAccess; row: NonNullable<Found> }> {
    const found = await findForPatient(db, { programmeId });
    if (!found) throw new NotFoundError('programme');
    const access = await patientProgrammeAccess(deps, db, found, { ownerAccountId: found.owner_account_id, organisationId: found.organisation_id });
    return { page: await pageOf(found, access), access, row: found };
  }

  /** The practice's logo for the patient's page, as a data address (the device has no session to fetch it with). */
  async function logoFor(row: NonNullable<Found>): Promise<string | null> {
    const logo = await practiceLogoFor(db, { organisationId: row.organisation_id, ownerAccountId: row.owner_account_id });
    return logo ? `data:${logo.mimeType};base64,${logo.data.toString('base64')}` : null;
  }

  return { openAsPatient, pageForDevice, logoFor };
}

export type PatientPage = ReturnType<typeof createPatientPage>;
