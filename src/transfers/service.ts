import { lockAccounts } from '../accounts/data.ts';
import { recordAudit, recordAudits } from '../audit/record.ts';
import type { AuditActor, AuditEvent } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import { memberAccountStanding } from '../memberships/data.ts';
import { exercisesOwnedBy, moveExercises } from '../exercises/data.ts';
import { lockPatientsForTransfer, movePatients, patientsOwnedIn, takenExternalIds } from '../patients/data.ts';
import { findVisiblePatient } from '../patients/service.ts';
import { moveTemplates, resumeProgrammesPausedByRemoval, templatesOwnedBy } from '../programmes/data.ts';
import { endSharesOfTransferredPatients } from '../sharing/data.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext, type SignedInContext } from '../platform/http/context.ts';
import { patientPractice } from '../sharing/service.ts';
import { emitWebhookEvents } from '../webhooks/emit.ts';
import type { TransferableView, TransferResultView } from './schemas.ts';

export interface TransferSelection {
  patientIds: string[];
  exerciseIds: string[];
  templateIds: string[];
}

/** At most this many ids per statement (PostgreSQL allows 65,535 parameters). */
const CHUNK = 10_000;

function chunks<T>(all: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(all.slice(i, i + CHUNK));
  return out;
}

/**
 * R-TRF-1: moves patients (with all their programmes and history), custom exercises and templates
 * from one practitioner to a colleague, all or nothing, in one transaction. Programmes keep their
 * state and codes; open shares of the moved patients end; every patient is recorded on its own.
 */
export function createTransferService({ db, clock }: Deps) {
  /**
   * `practice`: the organisation (or subscription) the transfer happens in. The patients must be
   * treated there when an admin moves them (`onlyFromPractice`), and are treated there afterwards.
   */
  async function move(tx: Tx, actor: AuditActor, fromAccountId: string, toAccountId: string, sel: TransferSelection, practice: { organisationId: string; onlyFromPractice: boolean }): Promise<TransferResultView> {
    const transferId = newId();
    const patientIds = [...new Set(sel.patientIds)];
    const exerciseIds = [...new Set(sel.exerciseIds)];
    const templateIds = [...new Set(sel.templateIds)];
    // Lock both practitioners' patient lists (external ids are unique per practitioner, R-PAT-1).
    await lockAccounts(tx, [fromAccountId, toAccountId]);
    const sideEvents: AuditEvent[] = [];
    for (const ids of chunks(patientIds)) {
      const owned = await lockPatientsForTransfer(tx, ids, fromAccountId, practice.onlyFromPractice ? practice.organisationId : null);
      if (owned.length !== ids.length) throw new NotFoundError('patient');
      const external = owned.map((p) => p.external_id).filter((x): x is string => x !== null);
      if (external.length > 0) {
        const clash = await takenExternalIds(tx, toAccountId, practice.organisationId, external);
        if (clash.length > 0) {
          throw new ConflictError('external_id_taken', `The colleague already has patients with the external ids ${clash.map((c) => c.external_id).join(', ')}. Nothing was transferred.`, { rule: 'R-PAT-1' });
        }
      }
      // Every id was found and locked above, so every one of them moves.
      await movePatients(tx, ids, fromAccountId, toAccountId, practice.organisationId, clock.now());
      const ended = await endSharesOfTransferredPatients(tx, ids, clock.now());
      for (const e of ended) sideEvents.push({ action: 'patient.share_ended', targetType: 'patient', targetId: e.patient_id, details: { shareId: e.id, to: e.to_account_id } });
      // Programmes paused because the old owner's access was removed (R-PRA-3) go on with the
      // colleague, who holds practitioner access (R-TRF-1: programmes stay active).
      const resumed = await resumeProgrammesPausedByRemoval(tx, ids, clock.now());
      for (const p of resumed) sideEvents.push({ action: 'programme.reactivated', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, membershipId: transferId } });
    }
    for (const ids of chunks(exerciseIds)) {
      if ((await moveExercises(tx, ids, fromAccountId, toAccountId, clock.now())) !== ids.length) throw new NotFoundError('exercise');
    }
    for (const ids of chunks(templateIds)) {
      if ((await moveTemplates(tx, ids, fromAccountId, toAccountId, clock.now())) !== ids.length) throw new NotFoundError('template');
    }
    const details = { from: fromAccountId, to: toAccountId, transferId };
    const events: AuditEvent[] = [
      ...patientIds.map((id) => ({ action: 'patient.transferred' as const, targetType: 'patient' as const, targetId: id, details })),
      ...exerciseIds.map((id) => ({ action: 'exercise.transferred' as const, targetType: 'exercise' as const, targetId: id, details })),
      ...templateIds.map((id) => ({ action: 'template.transferred' as const, targetType: 'template' as const, targetId: id, details })),
      ...sideEvents,
    ];
    await recordAudits(tx, clock, events.map((event) => ({ actor, event })));
    // R-INT-4: each moved patient, to the practice's endpoints and to both practitioners' own.
    await emitWebhookEvents(
      tx,
      clock,
      patientIds.map((patientId) => ({ type: 'patient.transferred' as const, organisationId: practice.organisationId, accountIds: [fromAccountId, toAccountId], data: { patientId, fromAccountId, toAccountId, transferId } })),
    );
    return { transferId, patients: patientIds.length, exercises: exerciseIds.length, templates: templateIds.length };
  }

  /** A practitioner transfers one of their patients to a colleague of the same organisation or subscription. */
  async function transferPatient(ctx: SignedInContext, patientId: string, toAccountId: string) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const p = await findVisiblePatient(tx, actor.accountId, patientId);
      if (p.owner_account_id !== actor.accountId) throw new ForbiddenError('not_owner', 'Only the practitioner who owns this patient can transfer them.', { rule: 'R-TRF-1' });
      const organisationId = toAccountId === actor.accountId ? null : await patientPractice(tx, actor.accountId, toAccountId, p.organisation_id);
      if (!organisationId) throw new NotFoundError('colleague');
      return move(tx, auditActorOf(ctx, { organisationId }), actor.accountId, toAccountId, { patientIds: [p.id], exerciseIds: [], templateIds: [] }, { organisationId, onlyFromPractice: false });
    });
  }

  /**
   * The member's account: a current member (a person removed from the organisation keeps their
   * patients, R-PRA-6), with practitioner access required for a recipient.
   */
  async function memberAccount(tx: Tx, organisationId: string, membershipId: string, recipient: boolean) {
    const m = await memberAccountStanding(tx, organisationId, membershipId);
    if (!m || !m.account_id || (m.state !== 'active' && m.state !== 'access_removed')) throw new NotFoundError('member');
    if (recipient && !(m.state === 'active' && m.practitioner)) {
      throw new ConflictError('recipient_not_practitioner', 'The colleague must hold practitioner access in this organisation.', { rule: 'R-TRF-1' });
    }
    return m.account_id;
  }

  /** An admin with Users transfers any selection of a member's patients, exercises and templates (R-TRF-1, R-PRA-6). */
  async function adminTransfer(ctx: OrgRequestContext, fromMembershipId: string, input: { toMembershipId: string } & TransferSelection) {
    const orgCtx = ctx.org;
    return inTransaction(db, async (tx) => {
      const from = await memberAccount(tx, orgCtx.organisationId, fromMembershipId, false);
      const to = await memberAccount(tx, orgCtx.organisationId, input.toMembershipId, true);
      if (from === to) throw new ConflictError('same_practitioner', 'Choose another colleague to transfer to.', { rule: 'R-TRF-1' });
      return move(tx, auditActorOf(ctx), from, to, input, { organisationId: orgCtx.organisationId, onlyFromPractice: true });
    });
  }

  /**
   * R-PAT-2: for a transfer, an admin with Users lists a member's patients by name and year of
   * birth only; each listing is recorded with the patients it returned. Also the member's custom
   * exercises and templates, by name.
   */
  async function transferable(ctx: OrgRequestContext, membershipId: string): Promise<TransferableView> {
    const orgCtx = ctx.org;
    return inTransaction(db, async (tx) => {
      const account = await memberAccount(tx, orgCtx.organisationId, membershipId, false);
      const patients = await patientsOwnedIn(tx, account, orgCtx.organisationId);
      const exercises = await exercisesOwnedBy(tx, account);
      const templates = await templatesOwnedBy(tx, account);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.listed_for_transfer', targetType: 'membership', targetId: membershipId, details: { patientIds: patients.map((p) => p.id) } });
      return {
        patients: patients.map((p) => ({ id: p.id, firstName: p.first_name, lastName: p.last_name, yearOfBirth: p.year_of_birth })),
        exercises: exercises.map((e) => ({ id: e.id, name: e.name })),
        templates: templates.map((t) => ({ id: t.id, title: t.title })),
      };
    });
  }

  return { transferPatient, adminTransfer, transferable };
}

export type TransferService = ReturnType<typeof createTransferService>;
