import { z } from 'zod';
import { lockAccount } from '../accounts/data.ts';
import { recordAudit, recordAudits } from '../audit/record.ts';
import type { AuditActor, AuditEvent } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/runner.ts';
import { memberStanding, membershipStanding } from '../memberships/data.ts';
import { insertPatients, patientsByExternalId, updatePatient } from '../patients/data.ts';
import { latestYearOfBirth, patientFields, YEAR_OF_BIRTH_IN_FUTURE } from '../patients/schemas.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { PatientImportsTable, RejectedRow } from '../platform/db/schema.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext } from '../platform/http/context.ts';
import type { Selectable } from 'kysely';
import { CsvSyntaxError, isHeaderRow, parseCsv } from './csv.ts';
import { IMPORT_COLUMNS, type ImportInput, type PatientImportView } from './schemas.ts';

export const IMPORT_JOB = 'patients.import';

const GENDERS: Record<string, 'female' | 'male' | 'diverse' | 'unknown'> = {
  f: 'female',
  female: 'female',
  w: 'female',
  m: 'male',
  male: 'male',
  d: 'diverse',
  x: 'diverse',
  diverse: 'diverse',
  u: 'unknown',
  unknown: 'unknown',
};

const blankToNull = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());

const rowSchema = z.strictObject({
  externalId: patientFields.externalId,
  firstName: patientFields.firstName,
  lastName: patientFields.lastName,
  yearOfBirth: patientFields.yearOfBirth,
  gender: patientFields.gender,
  email: patientFields.email,
  mobile: patientFields.mobile,
  diagnosisCode: patientFields.diagnosisCode,
  group: patientFields.group,
});

type ImportRow = z.infer<typeof rowSchema>;

/** One line of the file as a patient, or the reason it is refused. Pure. */
export function readImportRow(fields: string[], now: Date): { row: ImportRow } | { reason: string } {
  if (fields.length < 4) return { reason: `Expected ${IMPORT_COLUMNS.length} columns (${IMPORT_COLUMNS.join(', ')}); found ${fields.length}.` };
  if (fields.length > IMPORT_COLUMNS.length) return { reason: `Expected at most ${IMPORT_COLUMNS.length} columns; found ${fields.length}.` };
  const [externalId, firstName, lastName, year, gender, email, mobile, diagnosisCode, group] = fields;
  const genderKey = blankToNull(gender)?.toLowerCase();
  if (genderKey && !GENDERS[genderKey]) return { reason: `gender: "${gender}" is not one of female, male, diverse, unknown.` };
  const yearText = blankToNull(year);
  const parsed = rowSchema.safeParse({
    externalId: blankToNull(externalId),
    firstName: (firstName ?? '').trim(),
    lastName: (lastName ?? '').trim(),
    yearOfBirth: yearText && /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN,
    gender: genderKey ? GENDERS[genderKey] : null,
    email: blankToNull(email)?.toLowerCase() ?? null,
    mobile: blankToNull(mobile)?.replace(/[\s()-]/g, '') ?? null,
    diagnosisCode: blankToNull(diagnosisCode),
    group: blankToNull(group),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const column = IMPORT_COLUMNS[['externalId', 'firstName', 'lastName', 'yearOfBirth', 'gender', 'email', 'mobile', 'diagnosisCode', 'group'].indexOf(String(issue.path[0]))] ?? String(issue.path[0]);
    return { reason: `${column}: ${column === 'year of birth' && Number.isNaN(Number(yearText)) ? 'a four-digit year is required.' : issue.message}` };
  }
  if (parsed.data.yearOfBirth > latestYearOfBirth(now)) return { reason: `year of birth: ${YEAR_OF_BIRTH_IN_FUTURE}` };
  return { row: parsed.data };
}


function view(i: Selectable<PatientImportsTable>, targetName: string | null): PatientImportView {
  return {
    id: i.id,
    status: i.status,
    fileName: i.file_name,
    practitioner: { membershipId: i.target_membership_id, name: targetName },
    rows: i.rows_total,
    created: i.created_count,
    updated: i.updated_count,
    rejected: i.rejected ?? [],
    requestedAt: i.created_at.toISOString(),
    finishedAt: i.finished_at?.toISOString() ?? null,
  };
}

/**
 * Patient import (console section Patient import): a CSV file into a chosen practitioner's list,
 * run as a job. A known external id updates that patient; every refused row is reported with its
 * line and reason; the accepted rows are written together, with an audit record per patient.
 */
export function createImportService({ db, clock, jobs }: Deps) {
  async function request(ctx: OrgRequestContext, input: ImportInput) {
    const { org: orgCtx, actor } = ctx;
    const id = await inTransaction(db, async (tx) => {
      const m = await memberStanding(tx, orgCtx.organisationId, input.practitionerMemberId);
      if (!m) throw new NotFoundError('member');
      if (m.state !== 'active' || !m.practitioner) throw new ConflictError('not_a_practitioner', 'Patients can only be imported into the list of an active practitioner.', { rule: 'R-PAT-1' });
      const importId = newId();
      await tx
        .insertInto('patient_imports')
        .values({ id: importId, organisation_id: orgCtx.organisationId, requested_by: actor.accountId, target_membership_id: m.id, file_name: input.fileName ?? null, csv: input.csv, status: 'pending', rows_total: null, created_count: null, updated_count: null, rejected: null, created_at: clock.now(), finished_at: null })
        .execute();
      await enqueueJob(tx, clock, { kind: IMPORT_JOB, payload: { importId }, dedupeKey: `import:${importId}` });
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient_import.requested', targetType: 'patient_import', targetId: importId, details: { membershipId: m.id } });
      return importId;
    });
    jobs.kick();
    return get(ctx, id);
  }

  async function get(ctx: OrgRequestContext, importId: string) {
    const orgCtx = ctx.org;
    const i = await db
      .selectFrom('patient_imports as i')
      .innerJoin('memberships as m', 'm.id', 'i.target_membership_id')
      .selectAll('i')
      .select('m.name as target_name')
      .where('i.organisation_id', '=', orgCtx.organisationId)
      .where('i.id', '=', importId)
      .executeTakeFirst();
    if (!i) throw new NotFoundError('import');
    return view(i, i.target_name);
  }

  async function list(ctx: OrgRequestContext) {
    const orgCtx = ctx.org;
    const rows = await db
      .selectFrom('patient_imports as i')
      .innerJoin('memberships as m', 'm.id', 'i.target_membership_id')
      .selectAll('i')
      .select('m.name as target_name')
      .where('i.organisation_id', '=', orgCtx.organisationId)
      .orderBy('i.created_at', 'desc')
      .limit(50)
      .execute();
    return { imports: rows.map((r) => view(r, r.target_name)) };
  }

  async function finish(tx: Tx, importId: string, result: { status: 'done' | 'failed'; rows: number; created: number; updated: number; rejected: RejectedRow[] }) {
    await tx
      .updateTable('patient_imports')
      // The file itself is not kept once read: its patients now live in the patient list, and a copy
      // here would outlive their deletion.
      .set({ status: result.status, csv: '', rows_total: result.rows, created_count: result.created, updated_count: result.updated, rejected: JSON.stringify(result.rejected), finished_at: clock.now() })
      .where('id', '=', importId)
      .execute();
  }

  /** The job: everything accepted is written in one transaction, with the import's result. */
  async function run(importId: string): Promise<void> {
    await inTransaction(db, async (tx) => {
      const imp = await tx.selectFrom('patient_imports').selectAll().where('id', '=', importId).forUpdate().executeTakeFirst();
      if (!imp || imp.status !== 'pending') return;
      const actor: AuditActor = { accountId: imp.requested_by, sessionId: null, organisationId: imp.organisation_id, ip: null, userAgent: 'motus-import', requestId: `import:${imp.id}` };
      const target = await membershipStanding(tx, imp.target_membership_id);
      if (!target.account_id || target.state !== 'active' || !target.practitioner) {
        await finish(tx, imp.id, { status: 'failed', rows: 0, created: 0, updated: 0, rejected: [{ line: 0, reason: 'The practitioner no longer has practitioner access in this organisation.' }] });
        return;
      }
      const owner = target.account_id;
      let records;
      try {
        records = parseCsv(imp.csv);
      } catch (err) {
        if (!(err instanceof CsvSyntaxError)) throw err;
        await finish(tx, imp.id, { status: 'failed', rows: 0, created: 0, updated: 0, rejected: [{ line: err.line, reason: err.message }] });
        return;
      }
      if (records[0] && isHeaderRow(records[0].fields)) records = records.slice(1);
      // The owner's list is written by one import (or person) at a time (R-PAT-1: external ids).
      await lockAccount(tx, owner);
      const rejected: RejectedRow[] = [];
      const accepted: Array<{ line: number; row: ImportRow }> = [];
      const seen = new Map<string, number>();
      for (const r of records) {
        const read = readImportRow(r.fields, clock.now());
        if ('reason' in read) {
          rejected.push({ line: r.line, reason: read.reason });
          continue;
        }
        const ext = read.row.externalId;
        if (ext) {
          const first = seen.get(ext);
          if (first !== undefined) {
            rejected.push({ line: r.line, reason: `external id: "${ext}" is already on line ${first} of this file.` });
            continue;
          }
          seen.set(ext, r.line);
        }
        accepted.push({ line: r.line, row: read.row });
      }
      const ext = [...seen.keys()];
      // A known external id updates the patient of this practice (external ids are unique per
      // practitioner within a practice, R-PAT-1); the practitioner's patients of another practice
      // are neither seen nor changed, nor does a refusal tell that they exist.
      const existing = new Map<string, string>();
      for (let i = 0; i < ext.length; i += 5000) {
        const found = await patientsByExternalId(tx, owner, imp.organisation_id, ext.slice(i, i + 5000));
        for (const f of found) existing.set(f.external_id!, f.id);
      }
      rejected.sort((x, y) => x.line - y.line);
      const now = clock.now();
      const events: AuditEvent[] = [];
      const inserts = [];
      let updated = 0;
      for (const { row } of accepted) {
        const values = {
          first_name: row.firstName,
          last_name: row.lastName,
          year_of_birth: row.yearOfBirth,
          gender: row.gender ?? null,
          email: row.email ?? null,
          mobile: row.mobile ?? null,
          diagnosis_code: row.diagnosisCode ?? null,
          patient_group: row.group ?? null,
          updated_at: now,
        };
        const known = row.externalId ? existing.get(row.externalId) : undefined;
        if (known) {
          // An update changes what the row says: an empty or missing optional column keeps what the
          // patient has (an export without emails must not wipe every email, "nothing is lost").
          const kept = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
          await updatePatient(tx, known, kept);
          events.push({ action: 'patient.updated', targetType: 'patient', targetId: known, details: { fields: ['import'] } });
          updated++;
        } else {
          const id = newId();
          inserts.push({ id, owner_account_id: owner, organisation_id: imp.organisation_id, external_id: row.externalId ?? null, archived_at: null, created_at: now, ...values });
          events.push({ action: 'patient.created', targetType: 'patient', targetId: id });
        }
      }
      for (let i = 0; i < inserts.length; i += 500) await insertPatients(tx, inserts.slice(i, i + 500));
      await recordAudits(tx, clock, events.map((event) => ({ actor, event })));
      await finish(tx, imp.id, { status: 'done', rows: records.length, created: inserts.length, updated, rejected });
      await recordAudit(tx, clock, actor, { action: 'patient_import.finished', targetType: 'patient_import', targetId: imp.id, details: { created: inserts.length, updated, rejected: rejected.length } });
    });
  }

  jobs.define(IMPORT_JOB, { run: async (job) => run(String(job.payload.importId)) });

  return { request, get, list, run };
}

export type ImportService = ReturnType<typeof createImportService>;
