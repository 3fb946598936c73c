import { sql } from 'kysely';
import { recordAudit, recordAudits } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { activePractitionersAmong, firstCommonPractice, leaveSharing } from '../memberships/data.ts';
import type { MembershipChanged, MembershipEvents } from '../memberships/events.ts';
import { clearContentAccount } from '../organisations/data.ts';
import { orgScope } from '../organisations/scope.ts';
import { findVisiblePatient } from '../patients/service.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Queryable, type Tx } from '../platform/db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext, type SignedInContext } from '../platform/http/context.ts';
import type { ColleagueView, PatientShareView, SharingInput, SharingSettingsView } from './schemas.ts';

/**
 * The organisation (or subscription) where `colleagueId` is an active practitioner alongside the
 * active `accountId`: sharing and transfers stay inside one (R-SHR-3, R-TRF-1). Null when there is none.
 */
async function commonOrganisation(q: Queryable, accountId: string, colleagueId: string): Promise<string | null> {
  const row = await firstCommonPractice(q, accountId, colleagueId);
  return row?.organisation_id ?? null;
}

/**
 * The practice a patient is shared or transferred in: the one the patient is treated in, where both
 * people must hold practitioner access, so that a patient never leaves their practice this way
 * (R-SHR-3, R-TRF-1). Null when the colleague is not a practitioner there.
 */
export async function patientPractice(q: Queryable, accountId: string, colleagueId: string, practiceId: string | null): Promise<string | null> {
  if (practiceId === null) return commonOrganisation(q, accountId, colleagueId);
  const rows = await activePractitionersAmong(q, practiceId, [accountId, colleagueId]);
  return new Set(rows.map((r) => r.account_id)).size === 2 ? practiceId : null;
}

/** Sharing (R-SHR-1..3): single-patient shares, the share group and the content account. */
export function createSharingService({ db, clock }: Deps, events: MembershipEvents) {
  /** The colleagues a practitioner can share with or transfer to: active practitioners of their organisations and subscriptions. */
  async function colleagues(ctx: SignedInContext): Promise<{ colleagues: ColleagueView[] }> {
    const { actor } = ctx;
    const rows = await db
      .selectFrom('memberships as mine')
      .innerJoin('memberships as theirs', 'theirs.organisation_id', 'mine.organisation_id')
      .innerJoin('organisations as o', 'o.id', 'mine.organisation_id')
      .select(['theirs.account_id', 'theirs.name', 'theirs.email', 'o.id as organisation_id', 'o.name as organisation'])
      .where('mine.account_id', '=', actor.accountId)
      .where('mine.state', '=', 'active')
      .where('theirs.state', '=', 'active')
      .where('theirs.practitioner', '=', true)
      .where('theirs.account_id', '<>', actor.accountId)
      .orderBy('theirs.name')
      .execute();
    return { colleagues: rows.map((r) => ({ accountId: r.account_id!, name: r.name, email: r.email, organisationId: r.organisation_id, organisation: r.organisation })) };
  }

  /** R-SHR-3: the owner shares one patient with a colleague; received patients are not passed on. */
  async function sharePatient(ctx: SignedInContext, patientId: string, toAccountId: string) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const p = await findVisiblePatient(tx, actor.accountId, patientId, { forUpdate: true });
      if (p.owner_account_id !== actor.accountId) {
        throw new ForbiddenError('no_resharing', 'A patient shared with you cannot be shared further. Ask the owning practitioner.', { rule: 'R-SHR-1' });
      }
      if (toAccountId === actor.accountId) throw ValidationError.field('body.accountId', 'self', 'Choose a colleague, not yourself.');
      const organisationId = await patientPractice(tx, actor.accountId, toAccountId, p.organisation_id);
      if (!organisationId) throw new NotFoundError('colleague');
      const open = await tx.selectFrom('patient_shares').select('id').where('patient_id', '=', p.id).where('to_account_id', '=', toAccountId).where('ended_at', 'is', null).executeTakeFirst();
      if (open) throw new ConflictError('already_shared', 'This patient is already shared with this colleague.', { rule: 'R-SHR-3', shareId: open.id });
      const id = newId();
      await tx.insertInto('patient_shares').values({ id, patient_id: p.id, from_account_id: actor.accountId, to_account_id: toAccountId, organisation_id: organisationId, created_at: clock.now(), ended_at: null, end_reason: null }).execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.shared', targetType: 'patient', targetId: p.id, details: { shareId: id, to: toAccountId } });
      return { share: { id, patientId: p.id, toAccountId, organisationId } };
    });
  }

  async function sharesOf(ctx: SignedInContext, patientId: string) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const p = await findVisiblePatient(tx, actor.accountId, patientId);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.shares_read', targetType: 'patient', targetId: p.id });
      return listShares(tx, p.id);
    });
  }

  async function listShares(q: Queryable, patientId: string): Promise<{ shares: PatientShareView[] }> {
    const rows = await q
      .selectFrom('patient_shares as s')
      .innerJoin('accounts as a', 'a.id', 's.to_account_id')
      .select(['s.id', 's.to_account_id', 'a.name', 's.created_at'])
      .where('s.patient_id', '=', patientId)
      .where('s.ended_at', 'is', null)
      .orderBy('s.created_at')
      .execute();
    return { shares: rows.map((r) => ({ id: r.id, toAccountId: r.to_account_id, name: r.name, since: r.created_at.toISOString() })) };
  }

  /** R-SHR-3: the owner (or the colleague who received it) ends a share at any time. */
  async function endShare(ctx: SignedInContext, patientId: string, shareId: string) {
    const { actor } = ctx;
    await inTransaction(db, async (tx) => {
      const p = await findVisiblePatient(tx, actor.accountId, patientId);
      const s = await tx.selectFrom('patient_shares').selectAll().where('id', '=', shareId).where('patient_id', '=', p.id).where('ended_at', 'is', null).forUpdate().executeTakeFirst();
      if (!s) throw new NotFoundError('share');
      // The caller sees the patient and its shares, but only the two people of a share may end it.
      if (s.from_account_id !== actor.accountId && s.to_account_id !== actor.accountId && p.owner_account_id !== actor.accountId) {
        throw new ForbiddenError('not_party_to_share', 'Only the owning practitioner or the colleague it was shared with can end this share.', { rule: 'R-SHR-3' });
      }
      await tx.updateTable('patient_shares').set({ ended_at: clock.now(), end_reason: 'ended' }).where('id', '=', s.id).execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.share_ended', targetType: 'patient', targetId: p.id, details: { shareId: s.id, to: s.to_account_id } });
    });
  }

  /** The Sharing & content section (R-SHR-1, R-SHR-2). */
  async function settings(ctx: OrgRequestContext): Promise<SharingSettingsView> {
    const orgCtx = ctx.org;
    const scope = orgScope(db, orgCtx.organisationId);
    const o = await scope.organisation().select(['share_patients', 'share_content', 'content_account_id']).executeTakeFirstOrThrow();
    const members = await scope
      .memberships()
      .select(['memberships.id', 'memberships.account_id', 'memberships.name', 'memberships.in_share_group', 'memberships.receives_content', 'memberships.practitioner'])
      .where('memberships.state', '=', 'active')
      .orderBy('memberships.name')
      .execute();
    const content = members.find((m) => m.account_id !== null && m.account_id === o.content_account_id);
    return {
      sharePatients: o.share_patients,
      shareContent: o.share_content,
      groupMemberIds: members.filter((m) => m.in_share_group).map((m) => m.id),
      contentAccountMemberId: content?.id ?? null,
      contentRecipientIds: members.filter((m) => m.receives_content).map((m) => m.id),
      practitioners: members.filter((m) => m.practitioner).map((m) => ({ id: m.id, name: m.name })),
    };
  }

  async function updateSettings(ctx: OrgRequestContext, input: SharingInput): Promise<SharingSettingsView> {
    const orgCtx = ctx.org;
    await inTransaction(db, async (tx) => {
      const scope = orgScope(tx, orgCtx.organisationId);
      await scope.organisation().select('id').forUpdate().executeTakeFirstOrThrow();
      const wanted = [...new Set([...input.groupMemberIds, ...input.contentRecipientIds, ...(input.contentAccountMemberId ? [input.contentAccountMemberId] : [])])];
      const found = wanted.length === 0 ? [] : await scope.memberships().select(['memberships.id', 'memberships.account_id', 'memberships.practitioner']).where('memberships.id', 'in', wanted).where('memberships.state', '=', 'active').execute();
      const byId = new Map(found.map((m) => [m.id, m]));
      const unknown = wanted.find((id) => !byId.get(id)?.practitioner);
      if (unknown) throw ValidationError.field('body', 'not_a_practitioner', `Member ${unknown} is not an active practitioner of this organisation.`);
      const contentAccountId = input.contentAccountMemberId ? byId.get(input.contentAccountMemberId)!.account_id : null;
      await scope.updateOrganisation().set({ share_patients: input.sharePatients, share_content: input.shareContent, content_account_id: contentAccountId, updated_at: clock.now() }).execute();
      await scope.updateMemberships().set({ in_share_group: false, receives_content: false }).execute();
      if (input.groupMemberIds.length > 0) await scope.updateMemberships().set({ in_share_group: true }).where('memberships.id', 'in', input.groupMemberIds).execute();
      if (input.contentRecipientIds.length > 0) await scope.updateMemberships().set({ receives_content: true }).where('memberships.id', 'in', input.contentRecipientIds).execute();
      await recordAudit(tx, clock, auditActorOf(ctx), {
        action: 'sharing.updated',
        targetType: 'organisation',
        targetId: orgCtx.organisationId,
        details: { sharePatients: input.sharePatients, shareContent: input.shareContent, groupSize: input.groupMemberIds.length, contentAccount: contentAccountId, recipients: input.contentRecipientIds.length },
      });
    });
    return settings(ctx);
  }

  /**
   * R-PRA-6: after removal from the organisation the practitioner no longer sees what others shared
   * with them there, and colleagues no longer see what they shared; their own patients stay theirs.
   */
  async function onMembershipChanged(tx: Tx, e: MembershipChanged) {
    if (e.to !== 'removed' || !e.accountId) return;
    const actor = e.audit;
    const ended = await tx
      .updateTable('patient_shares')
      .set({ ended_at: clock.now(), end_reason: 'left_organisation' })
      .where('organisation_id', '=', e.organisationId)
      .where('ended_at', 'is', null)
      .where((eb) => eb.or([eb('from_account_id', '=', e.accountId!), eb('to_account_id', '=', e.accountId!)]))
      .returning(['id', 'patient_id', 'to_account_id'])
      .execute();
    await leaveSharing(tx, e.membershipId);
    await clearContentAccount(tx, e.organisationId, e.accountId);
    await recordAudits(
      tx,
      clock,
      ended.map((s) => ({ actor, event: { action: 'patient.share_ended' as const, targetType: 'patient' as const, targetId: s.patient_id, details: { shareId: s.id, to: s.to_account_id } } })),
    );
  }
  events.subscribe(onMembershipChanged);

  return { colleagues, sharePatient, sharesOf, endShare, settings, updateSettings };
}

/**
 * R-SHR-1, R-SHR-2: whose custom exercises and templates reach `accountId` read-only: the content
 * account of each organisation that selected them, and fellow share-group members where the group
 * shares content. As SQL, for the library's queries.
 */
export function contentSourcesFor(accountId: string) {
  return sql<string>`(
    select o.content_account_id from memberships m join organisations o on o.id = m.organisation_id
     where m.account_id = ${accountId} and m.state = 'active' and m.receives_content and o.content_account_id is not null
    union
    select theirs.account_id from memberships mine
      join memberships theirs on theirs.organisation_id = mine.organisation_id
      join organisations o on o.id = mine.organisation_id
     where mine.account_id = ${accountId} and mine.state = 'active' and mine.in_share_group
       and theirs.state = 'active' and theirs.in_share_group and o.share_content and theirs.account_id is not null
  )`;
}

export type SharingService = ReturnType<typeof createSharingService>;
