import { sql, type ExpressionBuilder, type Updateable } from 'kysely';
import { lockAccount } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import { ownerPractices } from '../memberships/data.ts';
import { unpaidOrganisations } from '../organisations/data.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Queryable, type Tx } from '../platform/db/database.ts';
import type { Database, PatientsTable } from '../platform/db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { deleteProgrammesOfPatient } from '../programmes/data.ts';
import { openSharesTo } from '../sharing/data.ts';
import { licenceStanding } from '../subscriptions/standing.ts';
import { auditActorOf, type SignedInContext } from '../platform/http/context.ts';
import { latestYearOfBirth, YEAR_OF_BIRTH_IN_FUTURE, type CreatePatientInput, type PatientView, type UpdatePatientInput } from './schemas.ts';
import { containsPattern } from '../platform/db/search.ts';

export type { PatientView } from './schemas.ts';

export function toPatientView(p: PatientsTable, viewerAccountId: string): PatientView {
  return {
    id: p.id,
    firstName: p.first_name,
    lastName: p.last_name,
    yearOfBirth: p.year_of_birth,
    gender: p.gender,
    email: p.email,
    mobile: p.mobile,
    externalId: p.external_id,
    diagnosisCode: p.diagnosis_code,
    group: p.patient_group,
    archived: p.archived_at !== null,
    own: p.owner_account_id === viewerAccountId,
    organisationId: p.organisation_id,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

/**
 * R-PAT-2: the one rule of who sees a patient, as a condition on `patients`. Everyone else gets
 * "not found", exactly as for an id that does not exist (SPEC section 12).
 *
 * Sharing reaches a patient only inside the practice the patient is treated in, and only while
 * both sides hold practitioner access there.
 */
export function visibleTo(accountId: string) {
  return (eb: ExpressionBuilder<Database, 'patients'>) => {
    // Every list is computed once per statement (`= any(array(…))`), not once per patient row, so
    // the owner index serves the query however many patients the installation holds.
    // An open share counts while the colleague it went to holds practitioner access in the
    // organisation it was made in (the patient's practice): losing it there (R-PRA-4) stops the
    // share at once, even with a licence elsewhere.
    const sharedWithMe = openSharesTo(eb, accountId)
      .innerJoin('memberships as m', (j) => j.onRef('m.organisation_id', '=', 's.organisation_id').onRef('m.account_id', '=', 's.to_account_id'))
      .select('s.patient_id')
      .where('m.state', '=', 'active')
      .where('m.practitioner', '=', true);
    // Fellow practitioners of a share group that shares patients (R-SHR-1), as "owner:practice"
    // pairs, so that a fellow's patients of another practice stay out of the group.
    const peers = eb
      .selectFrom('memberships as mine')
      .innerJoin('memberships as theirs', 'theirs.organisation_id', 'mine.organisation_id')
      .innerJoin('organisations as o', 'o.id', 'mine.organisation_id')
      .where('mine.account_id', '=', accountId)
      .where('mine.state', '=', 'active')
      .where('mine.practitioner', '=', true)
      .where('mine.in_share_group', '=', true)
      .where('theirs.state', '=', 'active')
      .where('theirs.practitioner', '=', true)
      .where('theirs.in_share_group', '=', true)
      .where('o.share_patients', '=', true);
    // R-LIC-7: while payment is required in a practice nobody works on its patients there, even
    // with a licence elsewhere; the patients keep their programmes read-only.
    const unpaid = unpaidOrganisations(eb);
    const peerAccounts = peers.select('theirs.account_id');
    const peerPairs = peers.select(sql<string>`theirs.account_id::text || ':' || theirs.organisation_id::text`.as('pair'));
    const notUnpaid = eb.or([eb('patients.organisation_id', 'is', null), eb('patients.organisation_id', '<>', sql<string>`all(array(${unpaid}))`)]);
    return eb.or([
      // The owner: of patients with no practice, of those in a practice where they work (and that
      // is paid up), and of those in a practice they were removed from, which are theirs now.
      eb.and([
        eb('patients.owner_account_id', '=', accountId),
        eb.or([
          eb('patients.organisation_id', 'is', null),
          eb.and([eb('patients.organisation_id', '=', sql<string>`any(array(${ownerPractices(eb, accountId, 'working')}))`), notUnpaid]),
          eb('patients.organisation_id', '=', sql<string>`any(array(${ownerPractices(eb, accountId, 'left')}))`),
        ]),
      ]),
      // A fellow member of a share group that shares patients (R-SHR-1); only the owner's own
      // patients of that practice reach the group, so nothing received is passed on. The first
      // condition lets the owner index serve the query; the second is the exact rule.
      eb.and([
        eb('patients.owner_account_id', '=', sql<string>`any(array(${peerAccounts}))`),
        eb(sql<string>`patients.owner_account_id::text || ':' || patients.organisation_id::text`, '=', sql<string>`any(array(${peerPairs}))`),
        notUnpaid,
      ]),
      // A colleague the owner shared this patient with (R-SHR-3).
      eb.and([eb('patients.id', '=', sql<string>`any(array(${sharedWithMe}))`), notUnpaid]),
    ]);
  };
}

/** The ids of the patients the caller may see (R-PAT-2), as a subquery for another capability's statement. */
export function visiblePatientIds(q: Queryable, accountId: string) {
  return q.selectFrom('patients').select('patients.id').where(visibleTo(accountId));
}

/** A patient the caller may see, read in `q` (locked for update when asked), or 404. */
export async function findVisiblePatient(q: Queryable, accountId: string, patientId: string, opts: { forUpdate?: boolean } = {}): Promise<PatientsTable> {
  let query = q.selectFrom('patients').selectAll().where('patients.id', '=', patientId).where(visibleTo(accountId));
  if (opts.forUpdate) query = query.forUpdate();
  const p = await query.executeTakeFirst();
  if (!p) throw new NotFoundError('patient');
  return p;
}

export interface PatientListFilter {
  search?: string | undefined;
  archived: 'false' | 'true' | 'all';
  limit: number;
  offset: number;
}

/**
 * The patient list's two statements (one page in name order, and the count of all matches), built
 * on `q`. The benchmark compiles the same builders for its bare-endpoint ceiling.
 */
export function patientListQueries(q: Queryable, accountId: string, f: PatientListFilter) {
  let query = q.selectFrom('patients').where(visibleTo(accountId));
  if (f.archived !== 'all') query = query.where('archived_at', f.archived === 'true' ? 'is not' : 'is', null);
  if (f.search) {
    const search = f.search;
    const like = containsPattern(search);
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['first_name']), 'like', like),
        eb(eb.fn('lower', ['last_name']), 'like', like),
        eb(sql<string>`lower(first_name || ' ' || last_name)`, 'like', like),
        eb('external_id', '=', search),
      ]),
    );
  }
  return {
    page: query.selectAll().orderBy(sql`lower(last_name)`).orderBy(sql`lower(first_name)`).orderBy('id').limit(f.limit).offset(f.offset),
    count: query.select((eb) => eb.fn.countAll<number>().as('n')),
  };
}

/**
 * A page of the patients `accountId` may see, for a system reading them in order of change (the
 * public API, R-INT-1): ordered by last change then id, after the cursor's place, optionally only
 * one practice's and only those changed since a time.
 */
export function patientChangePage(q: Queryable, accountId: string, f: { organisationId: string | null; updatedSince: Date | null; after: { updatedAt: string; id: string } | null; limit: number }) {
  // The cursor keeps the change time as PostgreSQL's own text (microseconds), so that no row is
  // skipped or repeated where a JavaScript date would round it to milliseconds.
  let query = q
    .selectFrom('patients')
    .selectAll()
    .select(sql<string>`to_char(patients.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('updated_at_text'))
    .where(visibleTo(accountId));
  if (f.organisationId) query = query.where('patients.organisation_id', '=', f.organisationId);
  if (f.updatedSince) query = query.where('patients.updated_at', '>=', f.updatedSince);
  if (f.after) {
    const at = sql<Date>`${f.after.updatedAt}::timestamptz`;
    const id = f.after.id;
    query = query.where((eb) => eb.or([eb('patients.updated_at', '>', at), eb.and([eb('patients.updated_at', '=', at), eb('patients.id', '>', id)])]));
  }
  return query.orderBy('patients.updated_at').orderBy('patients.id').limit(f.limit);
}

/** PostgreSQL's own text of a change time (microseconds, UTC), for a page cursor that skips and repeats nothing. */
const changedAtText = sql<string>`to_char(patients.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The ids of the patients the caller may see (R-PAT-2), narrowed to one practice (an API key
 * limited to it, R-INT-3) and to some ids when given: a subquery for another capability's statement.
 */
export function visiblePatientIdsIn(q: Queryable, accountId: string, f: { organisationId: string | null; patientIds: string[] | null }) {
  let query = visiblePatientIds(q, accountId);
  if (f.organisationId) query = query.where('patients.organisation_id', '=', f.organisationId);
  if (f.patientIds) query = f.patientIds.length > 0 ? query.where('patients.id', 'in', f.patientIds) : query.where(sql<boolean>`false`);
  return query;
}

/** A PMS id to look for (R-PAT-1): in one practice's (or a practitioner's own) ids when `practice` is given, with one value when `value` is. */
export interface ExternalIdMatch {
  practice: { organisationId: string } | { ownerAccountId: string } | null;
  value: string | null;
}

/**
 * The FHIR interface's patient search (R-INT-5): the patients the caller may see, of one practice
 * when given, matching any of `externalIds` when given, changed within the window; one page in
 * order of change then id after the cursor's place, and the count of all matches.
 */
export function patientSearchQueries(
  q: Queryable,
  accountId: string,
  f: { organisationId: string | null; externalIds: ExternalIdMatch[] | null; changedFrom: Date | null; changedBefore: Date | null; after: { at: string; id: string } | null; limit: number },
) {
  let query = q.selectFrom('patients').where(visibleTo(accountId));
  if (f.organisationId) query = query.where('patients.organisation_id', '=', f.organisationId);
  if (f.externalIds) {
    const matches = f.externalIds;
    query = query.where((eb) =>
      matches.length === 0
        ? sql<boolean>`false`
        : eb.or(
            matches.map((m) =>
              eb.and([
                m.value === null ? eb('patients.external_id', 'is not', null) : eb('patients.external_id', '=', m.value),
                ...(m.practice === null
                  ? []
                  : 'organisationId' in m.practice
                    ? [eb('patients.organisation_id', '=', m.practice.organisationId)]
                    : [eb('patients.organisation_id', 'is', null), eb('patients.owner_account_id', '=', m.practice.ownerAccountId)]),
              ]),
            ),
          ),
    );
  }
  if (f.changedFrom) query = query.where('patients.updated_at', '>=', f.changedFrom);
  if (f.changedBefore) query = query.where('patients.updated_at', '<', f.changedBefore);
  let page = query.selectAll().select(changedAtText.as('changed_at'));
  if (f.after) {
    const at = sql<Date>`${f.after.at}::timestamptz`;
    const id = f.after.id;
    page = page.where((eb) => eb.or([eb('patients.updated_at', '>', at), eb.and([eb('patients.updated_at', '=', at), eb('patients.id', '>', id)])]));
  }
  return {
    page: page.orderBy('patients.updated_at').orderBy('patients.id').limit(f.limit),
    count: query.select((eb) => eb.fn.countAll<number>().as('n')),
  };
}

/** A patient the caller may see, in one practice when given, or 404 (R-PAT-2, R-INT-3). */
export async function findVisiblePatientIn(q: Queryable, accountId: string, patientId: string, organisationId: string | null): Promise<PatientsTable> {
  const p = await findVisiblePatient(q, accountId, patientId);
  if (organisationId && p.organisation_id !== organisationId) throw new NotFoundError('patient');
  return p;
}

/**
 * The practice a new patient is treated in: the one asked for, if the practitioner can work there,
 * or else the first practice where they can (an organisation before their own subscription).
 */
async function practiceFor(q: Queryable, accountId: string, wanted: string | undefined, now: Date): Promise<string | null> {
  const standing = await licenceStanding(q, accountId, now);
  const working = standing.sources.filter((s) => s.blocked === null);
  if (wanted !== undefined) {
    if (!working.some((s) => s.organisationId === wanted)) throw ValidationError.field('body.organisationId', 'not_your_practice', 'You do not work in this practice.');
    return wanted;
  }
  return (working.find((s) => s.kind === 'organisation') ?? working[0])?.organisationId ?? null;
}

const externalIdTaken = () =>
  new ConflictError('external_id_taken', 'Another of your patients in this practice already has this external id.', { rule: 'R-PAT-1', field: 'externalId' });

/** Patients (R-PAT-1, R-PAT-2): every read and list is recorded with the patients it returned (R-AUD-1). */
export function createPatientService({ db, clock }: Deps) {
  /** R-PAT-1: an external id is unique among the practitioner's patients of one practice. */
  async function checkExternalId(tx: Tx, ownerAccountId: string, organisationId: string | null, externalId: string | null | undefined, exceptId?: string) {
    if (!externalId) return;
    let q = tx.selectFrom('patients').select('id').where('owner_account_id', '=', ownerAccountId).where('organisation_id', 'is not distinct from', organisationId).where('external_id', '=', externalId);
    if (exceptId) q = q.where('id', '<>', exceptId);
    if (await q.executeTakeFirst()) throw externalIdTaken();
  }

  /** A year of birth after this year is refused, by the injected clock (R-PAT-1). */
  function checkYearOfBirth(year: number | undefined) {
    if (year !== undefined && year > latestYearOfBirth(clock.now())) throw ValidationError.field('body.yearOfBirth', 'too_big', YEAR_OF_BIRTH_IN_FUTURE);
  }

  async function create(ctx: SignedInContext, input: CreatePatientInput) {
    const { actor } = ctx;
    checkYearOfBirth(input.yearOfBirth);
    return inTransaction(db, async (tx) => {
      // The owner's patients are written one at a time, so that the external-id check holds (R-PAT-1).
      await lockAccount(tx, actor.accountId);
      const organisationId = await practiceFor(tx, actor.accountId, input.organisationId, clock.now());
      await checkExternalId(tx, actor.accountId, organisationId, input.externalId);
      const now = clock.now();
      const id = newId();
      const row = await tx
        .insertInto('patients')
        .values({
          id,
          owner_account_id: actor.accountId,
          organisation_id: organisationId,
          first_name: input.firstName,
          last_name: input.lastName,
          year_of_birth: input.yearOfBirth,
          gender: input.gender ?? null,
          email: input.email ?? null,
          mobile: input.mobile ?? null,
          external_id: input.externalId ?? null,
          diagnosis_code: input.diagnosisCode ?? null,
          patient_group: input.group ?? null,
          archived_at: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.created', targetType: 'patient', targetId: id });
      return toPatientView(row, actor.accountId);
    });
  }

  async function list(ctx: SignedInContext, q: PatientListFilter) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const { page, count } = patientListQueries(tx, actor.accountId, q);
      const [rows, total] = await Promise.all([page.execute(), count.executeTakeFirstOrThrow()]);
      const patients = rows.map((r) => toPatientView(r, actor.accountId));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.listed', details: { patientIds: patients.map((p) => p.id), total: Number(total.n), searched: Boolean(q.search) } });
      return { patients, total: Number(total.n) };
    });
  }

  async function get(ctx: SignedInContext, patientId: string) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const p = await findVisiblePatient(tx, actor.accountId, patientId);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.read', targetType: 'patient', targetId: p.id });
      return toPatientView(p, actor.accountId);
    });
  }

  async function update(ctx: SignedInContext, patientId: string, patch: UpdatePatientInput) {
    const { actor } = ctx;
    checkYearOfBirth(patch.yearOfBirth);
    return inTransaction(db, async (tx) => {
      // The owner's account first, then the patient: the order transfers and imports lock in.
      const seen = await findVisiblePatient(tx, actor.accountId, patientId);
      await lockAccount(tx, seen.owner_account_id);
      const p = await findVisiblePatient(tx, actor.accountId, patientId, { forUpdate: true });
      if (patch.externalId) await checkExternalId(tx, p.owner_account_id, p.organisation_id, patch.externalId, p.id);
      // Kysely leaves out fields that are undefined: only what the request names changes.
      const set: Updateable<PatientsTable> = {
        first_name: patch.firstName,
        last_name: patch.lastName,
        year_of_birth: patch.yearOfBirth,
        gender: patch.gender,
        email: patch.email,
        mobile: patch.mobile,
        external_id: patch.externalId,
        diagnosis_code: patch.diagnosisCode,
        patient_group: patch.group,
      };
      const fields = (Object.keys(patch) as Array<keyof UpdatePatientInput>).filter((k) => patch[k] !== undefined);
      if (fields.length === 0) {
        // Nothing changes, but the answer shows the patient: a read, recorded as one (R-AUD-1).
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.read', targetType: 'patient', targetId: p.id });
        return toPatientView(p, actor.accountId);
      }
      const row = await tx.updateTable('patients').set({ ...set, updated_at: clock.now() }).where('id', '=', p.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.updated', targetType: 'patient', targetId: p.id, details: { fields } });
      return toPatientView(row, actor.accountId);
    });
  }

  async function setArchived(ctx: SignedInContext, patientId: string, archived: boolean) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const p = await findVisiblePatient(tx, actor.accountId, patientId, { forUpdate: true });
      // Archiving hides the patient from the owner's list: the owner's decision alone (R-SHR-3).
      if (p.owner_account_id !== actor.accountId) throw new ForbiddenError('not_owner', 'Only the practitioner who owns this patient can archive or restore them.', { rule: 'R-SHR-3' });
      if ((p.archived_at !== null) === archived) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.read', targetType: 'patient', targetId: p.id });
        return toPatientView(p, actor.accountId);
      }
      const row = await tx.updateTable('patients').set({ archived_at: archived ? clock.now() : null, updated_at: clock.now() }).where('id', '=', p.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: archived ? 'patient.archived' : 'patient.restored', targetType: 'patient', targetId: p.id });
      return toPatientView(row, actor.accountId);
    });
  }

  /** Deletes the patient with their programmes. Only the owner may; a colleague it is shared with gets 403. */
  async function remove(ctx: SignedInContext, patientId: string) {
    const { actor } = ctx;
    await inTransaction(db, async (tx) => {
      const p = await findVisiblePatient(tx, actor.accountId, patientId, { forUpdate: true });
      if (p.owner_account_id !== actor.accountId) throw new ForbiddenError('not_owner', 'Only the practitioner who owns this patient can delete them.', { rule: 'R-PAT-2' });
      await deleteProgrammesOfPatient(tx, p.id);
      await tx.deleteFrom('patients').where('id', '=', p.id).execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.deleted', targetType: 'patient', targetId: p.id });
    });
  }

  /**
   * R-INT-1: a PMS sends its patient by its own id: the practitioner's patient with that external id
   * in the practice is replaced by what is sent, or created. In the caller's transaction (an
   * idempotent request's); the owner's account is locked, so two sends of one id make one patient.
   */
  async function upsertByExternalIdIn(tx: Tx, ctx: SignedInContext, practice: string | undefined, externalId: string, input: PatientFieldsInput) {
    const { actor } = ctx;
    checkYearOfBirth(input.yearOfBirth);
    await lockAccount(tx, actor.accountId);
    const organisationId = await practiceFor(tx, actor.accountId, practice, clock.now());
    const values = {
      first_name: input.firstName,
      last_name: input.lastName,
      year_of_birth: input.yearOfBirth,
      gender: input.gender ?? null,
      email: input.email ?? null,
      mobile: input.mobile ?? null,
      diagnosis_code: input.diagnosisCode ?? null,
      patient_group: input.group ?? null,
    };
    const existing = await tx
      .selectFrom('patients')
      .selectAll()
      .where('owner_account_id', '=', actor.accountId)
      .where('organisation_id', 'is not distinct from', organisationId)
      .where('external_id', '=', externalId)
      .forUpdate()
      .executeTakeFirst();
    const now = clock.now();
    if (!existing) {
      const id = newId();
      const row = await tx
        .insertInto('patients')
        .values({ id, owner_account_id: actor.accountId, organisation_id: organisationId, external_id: externalId, archived_at: null, created_at: now, updated_at: now, ...values })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.created', targetType: 'patient', targetId: id });
      return { patient: toPatientView(row, actor.accountId), created: true };
    }
    const names: Record<keyof typeof values, string> = { first_name: 'firstName', last_name: 'lastName', year_of_birth: 'yearOfBirth', gender: 'gender', email: 'email', mobile: 'mobile', diagnosis_code: 'diagnosisCode', patient_group: 'group' };
    const fields = (Object.keys(values) as Array<keyof typeof values>).filter((k) => existing[k] !== values[k]).map((k) => names[k]);
    if (fields.length === 0) {
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.read', targetType: 'patient', targetId: existing.id });
      return { patient: toPatientView(existing, actor.accountId), created: false };
    }
    const row = await tx.updateTable('patients').set({ ...values, updated_at: now }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.updated', targetType: 'patient', targetId: existing.id, details: { fields } });
    return { patient: toPatientView(row, actor.accountId), created: false };
  }

  return { create, list, get, update, setArchived, remove, upsertByExternalIdIn };
}

/** What a PMS sends of a patient (R-INT-1): everything but the id, which is in the path. */
export type PatientFieldsInput = Omit<CreatePatientInput, 'externalId' | 'organisationId'>;

export type PatientService = ReturnType<typeof createPatientService>;
