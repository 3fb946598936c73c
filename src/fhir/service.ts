import { randomUUID } from 'node:crypto';
import { accountName } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { messageSearchQueries, observationQueries, type MessageRow, type ObservationRow } from '../engagement/data.ts';
import { dueOn } from '../engagement/schedule.ts';
import { formatLocalDate, localDateIn } from '../licences/proration.ts';
import { patientPractice } from '../patients/data.ts';
import { findVisiblePatientIn, patientSearchQueries, visiblePatientIdsIn, type ExternalIdMatch } from '../patients/service.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { ProgrammesTable } from '../platform/db/schema.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type ApiKeyContext } from '../platform/http/context.ts';
import { programmeIdsOfPatients, programmeRows, programmeSearchQueries } from '../programmes/data.ts';
import { describeItems, effectiveState, programmeToday } from '../programmes/items.ts';
import type { Selectable } from 'kysely';
import {
  capabilityStatement,
  carePlanResource,
  communicationResource,
  LOINC,
  MOTUS_CODE_SYSTEM,
  PAIN_CODE,
  painObservation,
  parseObservationId,
  patientResource,
  practiceOfSystem,
  searchsetBundle,
  SESSION_CODE,
  sessionObservation,
} from './resources.ts';
import type { CarePlanSearchQuery, CommunicationSearchQuery, ObservationSearchQuery, PatientSearchQuery } from './schemas.ts';
import { dayWindow, decodeCursor, encodeCursor, isUuid, referenceIds, timeWindow, tokens, type Place, type RawParam } from './search.ts';

type Json = Record<string, unknown>;
type Programme = Selectable<ProgrammesTable>;

/** The search parameters of each resource type, in the order the links repeat them. */
const LINK_PARAMS = {
  Patient: ['identifier', '_lastUpdated'],
  CarePlan: ['patient', '_lastUpdated'],
  Observation: ['patient', 'code', 'date', '_lastUpdated'],
  Communication: ['patient', '_lastUpdated'],
} as const;

type Paging = { _count: number; cursor?: string | undefined };

/**
 * The FHIR R4 read interface (R-INT-5). A key acts as its owner: every read goes through the
 * visibility rule of the owner's patients (R-PAT-2) and, for a key limited to one practice, that
 * practice alone (R-INT-3); an id the key may not read is 404, as one that does not exist. Every
 * read and search is recorded with what it returned (R-AUD-1).
 */
export function createFhirService(deps: Deps) {
  const { db, clock, config } = deps;
  const baseUrl = `${config.publicUrl.replace(/\/+$/, '')}/fhir/R4`;

  function metadata(): Json {
    return capabilityStatement(baseUrl);
  }

  /** The URL of a search page: the parameters as understood, in a stable order, and the cursor. */
  function searchUrl(type: keyof typeof LINK_PARAMS, query: Record<string, unknown>, count: number, cursor: string | undefined): string {
    const params = new URLSearchParams();
    for (const name of LINK_PARAMS[type]) {
      const value = query[name] as RawParam;
      for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) params.append(name, v);
    }
    params.set('_count', String(count));
    if (cursor) params.set('cursor', cursor);
    return `${baseUrl}/${type}?${params.toString()}`;
  }

  /** A cursor's place, whose key must be of the form this search gives out. */
  function placeOf(q: Paging, keyIsValid: (key: string) => boolean): Place | null {
    const place = decodeCursor(q.cursor);
    if (place && !keyIsValid(place.key)) throw ValidationError.field('query.cursor', 'invalid_cursor', 'This cursor is not one Motus gave out: start again without it.');
    return place;
  }

  /** One page and its total as a Bundle, with the link to the next page when there is one. */
  function bundle<R>(type: keyof typeof LINK_PARAMS, query: Record<string, unknown> & Paging, rows: R[], total: number, placeOfRow: (r: R) => Place, toResource: (r: R) => Json): Json {
    const page = rows.slice(0, query._count);
    const last = page.at(-1);
    const next = rows.length > query._count && last ? encodeCursor(placeOfRow(last)) : undefined;
    return searchsetBundle({
      id: randomUUID(),
      baseUrl,
      selfUrl: searchUrl(type, query, query._count, query.cursor),
      nextUrl: next ? searchUrl(type, query, query._count, next) : null,
      total,
      resources: page.map(toResource),
      at: clock.now(),
    });
  }

  /** The patients a key may read, narrowed to those a `patient` parameter names. */
  function visiblePatients(tx: Tx, ctx: ApiKeyContext, patientIds: string[] | null) {
    return visiblePatientIdsIn(tx, ctx.actor.accountId, { organisationId: ctx.apiKey.organisationId, patientIds });
  }

  function visibleProgrammes(tx: Tx, ctx: ApiKeyContext, patientIds: string[] | null) {
    return programmeIdsOfPatients(tx, visiblePatients(tx, ctx, patientIds));
  }

  // --- Patient -------------------------------------------------------------------------------

  /** `identifier` as PMS ids to look for; a system that is not a Motus practice's matches nothing. */
  function externalIdsOf(raw: RawParam): ExternalIdMatch[] | null {
    const list = tokens('identifier', raw);
    if (!list) return null;
    return list.flatMap((t): ExternalIdMatch[] => {
      if (t.noSystem) return [];
      if (t.system === null) return [{ practice: null, value: t.value }];
      const practice = practiceOfSystem(t.system);
      return practice ? [{ practice, value: t.value }] : [];
    });
  }

  async function searchPatients(ctx: ApiKeyContext, query: PatientSearchQuery): Promise<Json> {
    const window = timeWindow('_lastUpdated', query._lastUpdated);
    const externalIds = externalIdsOf(query.identifier);
    const place = placeOf(query, isUuid);
    return inTransaction(db, async (tx) => {
      const { page, count } = patientSearchQueries(tx, ctx.actor.accountId, {
        organisationId: ctx.apiKey.organisationId,
        externalIds,
        changedFrom: window.from,
        changedBefore: window.before,
        after: place ? { at: place.at, id: place.key } : null,
        limit: query._count + 1,
      });
      const [rows, total] = await Promise.all([query._count > 0 ? page.execute() : Promise.resolve([]), count.executeTakeFirstOrThrow()]);
      const shown = rows.slice(0, query._count);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.listed', details: { patientIds: shown.map((p) => p.id), total: Number(total.n), searched: true } });
      return bundle('Patient', query, rows, Number(total.n), (r) => ({ at: r.changed_at, key: r.id }), patientResource);
    });
  }

  async function readPatient(ctx: ApiKeyContext, id: string): Promise<Json> {
    if (!isUuid(id)) throw new NotFoundError('Patient');
    return inTransaction(db, async (tx) => {
      const p = await findVisiblePatientIn(tx, ctx.actor.accountId, id.toLowerCase(), ctx.apiKey.organisationId).catch(notFoundAs('Patient'));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.read', targetType: 'patient', targetId: p.id });
      return patientResource(p);
    });
  }

  // --- CarePlan ------------------------------------------------------------------------------

  async function carePlans(tx: Tx, rows: Programme[]): Promise<Json[]> {
    const today = programmeToday(deps);
    return Promise.all(
      rows.map(async (p) => {
        const items = await describeItems(tx, p.items);
        const endedOn = p.state === 'ended' && p.ended_at ? formatLocalDate(localDateIn(p.ended_at, config.billing.timeZone)) : null;
        return carePlanResource(
          { id: p.id, patient_id: p.patient_id, title: p.title, state: effectiveState(p, today), start_date: p.start_date, end_date: p.end_date, assigned_at: p.assigned_at, updated_at: p.updated_at, endedOn },
          items.map((i) => ({ ...i, exerciseName: i.exercise?.name ?? null })),
          today,
        );
      }),
    );
  }

  async function searchCarePlans(ctx: ApiKeyContext, query: CarePlanSearchQuery): Promise<Json> {
    const window = timeWindow('_lastUpdated', query._lastUpdated);
    const patientIds = referenceIds('patient', query.patient, 'Patient');
    const place = placeOf(query, isUuid);
    return inTransaction(db, async (tx) => {
      const { page, count } = programmeSearchQueries(tx, visiblePatients(tx, ctx, patientIds), {
        changedFrom: window.from,
        changedBefore: window.before,
        after: place ? { at: place.at, id: place.key } : null,
        limit: query._count + 1,
      });
      const [rows, total] = await Promise.all([query._count > 0 ? page.execute() : Promise.resolve([]), count.executeTakeFirstOrThrow()]);
      const shown = rows.slice(0, query._count);
      const plans = await carePlans(tx, shown);
      const byId = new Map(plans.map((r) => [r.id, r]));
      await recordAudit(tx, clock, auditActorOf(ctx), {
        action: 'fhir.searched',
        details: { resource: 'CarePlan', ids: shown.map((p) => p.id), patientIds: [...new Set(shown.map((p) => p.patient_id))], total: Number(total.n) },
      });
      return bundle('CarePlan', query, rows, Number(total.n), (r) => ({ at: r.changed_at, key: r.id }), (r) => byId.get(r.id)!);
    });
  }

  async function readCarePlan(ctx: ApiKeyContext, id: string): Promise<Json> {
    if (!isUuid(id)) throw new NotFoundError('CarePlan');
    return inTransaction(db, async (tx) => {
      const [p] = await programmeSearchQueries(tx, visiblePatients(tx, ctx, null), { programmeId: id.toLowerCase(), changedFrom: null, changedBefore: null, after: null, limit: 1 }).page.execute();
      if (!p) throw new NotFoundError('CarePlan');
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.read', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
      const [plan] = await carePlans(tx, [p]);
      return plan!;
    });
  }

  // --- Observation ---------------------------------------------------------------------------

  /** Which kinds a `code` parameter asks for: pain (LOINC 72514-3), days of exercises done, or both. */
  function kindsOf(raw: RawParam): { pain: boolean; sessions: boolean } {
    const list = tokens('code', raw);
    if (!list) return { pain: true, sessions: true };
    const asks = (system: string, code: string) => list.some((t) => !t.noSystem && (t.system === null || t.system === system) && (t.value === null || t.value === code));
    return { pain: asks(LOINC, PAIN_CODE), sessions: asks(MOTUS_CODE_SYSTEM, SESSION_CODE) };
  }

  async function observations(tx: Tx, rows: ObservationRow[]): Promise<Json[]> {
    const programmes = new Map((await programmeRows(tx, [...new Set(rows.map((r) => r.programme_id))])).map((p) => [p.id, p]));
    return rows.map((r) => {
      const p = programmes.get(r.programme_id)!;
      if (r.kind === 'pain') {
        return painObservation({ entryId: r.entry_id!, programmeId: p.id, patientId: p.patient_id, day: r.day, pain: r.pain!, recordedAt: r.recorded_at!, updatedAt: r.at, takenBack: r.taken_back });
      }
      // An entry for the whole session counts every exercise due that day (R-ENG-1).
      const done = r.whole_session ? Math.max(r.exercises_done, dueOn(p.items, r.day).length) : r.exercises_done;
      return sessionObservation({ programmeId: p.id, patientId: p.patient_id, day: r.day, updatedAt: r.at, exercisesDone: done, takenBack: r.taken_back });
    });
  }

  async function searchObservations(ctx: ApiKeyContext, query: ObservationSearchQuery): Promise<Json> {
    const window = timeWindow('_lastUpdated', query._lastUpdated);
    const days = dayWindow('date', query.date);
    const patientIds = referenceIds('patient', query.patient, 'Patient');
    const kinds = kindsOf(query.code);
    const place = placeOf(query, (key) => parseObservationId(key) !== null);
    return inTransaction(db, async (tx) => {
      let rows: ObservationRow[] = [];
      let total = 0;
      if (kinds.pain || kinds.sessions) {
        const { page, count } = observationQueries(tx, visibleProgrammes(tx, ctx, patientIds), {
          ...kinds,
          dayFrom: days.from,
          dayTo: days.to,
          changedFrom: window.from,
          changedBefore: window.before,
          after: place,
          limit: query._count + 1,
        });
        const [found, n] = await Promise.all([query._count > 0 ? page.execute() : Promise.resolve([]), count.executeTakeFirstOrThrow()]);
        rows = found;
        total = Number(n.n);
      }
      const shown = rows.slice(0, query._count);
      const resources = await observations(tx, shown);
      const byKey = new Map(resources.map((r) => [r.id, r]));
      await recordAudit(tx, clock, auditActorOf(ctx), {
        action: 'fhir.searched',
        details: { resource: 'Observation', ids: shown.map((r) => r.key), patientIds: [...new Set(resources.map((r) => patientIdOf(r)))], total },
      });
      return bundle('Observation', query, rows, total, (r) => ({ at: r.at_text, key: r.key }), (r) => byKey.get(r.key)!);
    });
  }

  async function readObservation(ctx: ApiKeyContext, id: string): Promise<Json> {
    const named = parseObservationId(id);
    if (!named) throw new NotFoundError('Observation');
    return inTransaction(db, async (tx) => {
      const { page } = observationQueries(tx, visibleProgrammes(tx, ctx, null), {
        pain: named.kind === 'pain',
        sessions: named.kind === 'session',
        ...(named.kind === 'pain' ? { entryId: named.entryId } : { programmeId: named.programmeId }),
        dayFrom: named.kind === 'session' ? named.day : null,
        dayTo: named.kind === 'session' ? named.day : null,
        changedFrom: null,
        changedBefore: null,
        after: null,
        limit: 1,
      });
      const [row] = await page.execute();
      if (!row) throw new NotFoundError('Observation');
      const [resource] = await observations(tx, [row]);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'fhir.read', targetType: 'programme', targetId: row.programme_id, details: { resource: 'Observation', id: row.key, patientId: patientIdOf(resource!) } });
      return resource!;
    });
  }

  // --- Communication -------------------------------------------------------------------------

  /**
   * Messages with their practitioner: who wrote a practice message, or whom a patient's message
   * went to (the patient's practitioner). Messages are shared with the key's holder as clinical
   * content (the scope engagement.read); the audit records name them, never quote them (R-AUD-2).
   */
  async function communications(tx: Tx, rows: MessageRow[]): Promise<Json[]> {
    const programmes = new Map((await programmeRows(tx, [...new Set(rows.map((r) => r.programme_id))])).map((p) => [p.id, p]));
    const names = new Map<string, string | null>();
    const nameOf = async (accountId: string) => {
      if (!names.has(accountId)) names.set(accountId, await accountName(tx, accountId));
      return names.get(accountId) ?? null;
    };
    const owners = new Map<string, string | null>();
    const ownerOf = async (patientId: string) => {
      if (!owners.has(patientId)) owners.set(patientId, (await patientPractice(tx, patientId))?.owner_account_id ?? null);
      return owners.get(patientId) ?? null;
    };
    const out: Json[] = [];
    for (const m of rows) {
      const p = programmes.get(m.programme_id)!;
      const accountId = m.author === 'practice' ? m.author_account_id : await ownerOf(p.patient_id);
      out.push(
        communicationResource({
          id: m.id,
          programmeId: p.id,
          patientId: p.patient_id,
          author: m.author,
          practitioner: accountId ? { accountId, name: await nameOf(accountId) } : null,
          body: m.body,
          sentAt: m.created_at,
        }),
      );
    }
    return out;
  }

  async function searchCommunications(ctx: ApiKeyContext, query: CommunicationSearchQuery): Promise<Json> {
    const window = timeWindow('_lastUpdated', query._lastUpdated);
    const patientIds = referenceIds('patient', query.patient, 'Patient');
    const place = placeOf(query, isUuid);
    return inTransaction(db, async (tx) => {
      const { page, count } = messageSearchQueries(tx, visibleProgrammes(tx, ctx, patientIds), {
        changedFrom: window.from,
        changedBefore: window.before,
        after: place,
        limit: query._count + 1,
      });
      const [rows, total] = await Promise.all([query._count > 0 ? page.execute() : Promise.resolve([]), count.executeTakeFirstOrThrow()]);
      const shown = rows.slice(0, query._count);
      const resources = await communications(tx, shown);
      const byId = new Map(resources.map((r) => [r.id, r]));
      await recordAudit(tx, clock, auditActorOf(ctx), {
        action: 'fhir.searched',
        details: { resource: 'Communication', ids: shown.map((m) => m.id), patientIds: [...new Set(resources.map((r) => patientIdOf(r)))], total: Number(total.n) },
      });
      return bundle('Communication', query, rows, Number(total.n), (r) => ({ at: r.at_text, key: r.id }), (r) => byId.get(r.id)!);
    });
  }

  async function readCommunication(ctx: ApiKeyContext, id: string): Promise<Json> {
    if (!isUuid(id)) throw new NotFoundError('Communication');
    return inTransaction(db, async (tx) => {
      const [m] = await messageSearchQueries(tx, visibleProgrammes(tx, ctx, null), { messageId: id.toLowerCase(), changedFrom: null, changedBefore: null, after: null, limit: 1 }).page.execute();
      if (!m) throw new NotFoundError('Communication');
      const [resource] = await communications(tx, [m]);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'fhir.read', targetType: 'programme', targetId: m.programme_id, details: { resource: 'Communication', id: m.id, patientId: patientIdOf(resource!) } });
      return resource!;
    });
  }

  return { metadata, searchPatients, readPatient, searchCarePlans, readCarePlan, searchObservations, readObservation, searchCommunications, readCommunication };
}

export type FhirService = ReturnType<typeof createFhirService>;

/** The patient a resource is about (its subject reference). */
function patientIdOf(resource: Json): string {
  const ref = (resource.subject as { reference?: string } | undefined)?.reference ?? '';
  return ref.slice('Patient/'.length);
}

/** The visibility rule's 404 names the FHIR resource type a client asked for. */
function notFoundAs(type: string) {
  return (err: unknown): never => {
    if (err instanceof NotFoundError) throw new NotFoundError(type);
    throw err;
  };
}
