import { mergeAccountsPractice } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { AuditActor } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import type { LicenceService } from '../licences/service.ts';
import { freeLicences, monthlyTotalMinor } from '../licences/pool.ts';
import { queueEmail } from '../mail/outbox.ts';
import type { MembershipEvents } from '../memberships/events.ts';
import { ownershipOfferMessage } from '../memberships/emails.ts';
import { insertMembership } from '../memberships/store.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { PracticeDetails } from '../platform/db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext, type SignedInContext } from '../platform/http/context.ts';
import type { ImageMime } from '../platform/images.ts';
import { ADMIN_SECTIONS } from './access.ts';
import { deleteOrganisationLogo, organisationLogo, storeOrganisationLogo, type StoredLogo } from './logo.ts';
import type { ConsoleOrganisationView, NewOrganisation, OrganisationAnswer, OrganisationSettings, OrganisationView, OwnershipOfferView, PracticeDefaults, WorkspaceOrganisationView } from './schemas.ts';
import { orgScope } from './scope.ts';
import { licenceStanding } from '../subscriptions/standing.ts';

export function createOrganisationService(deps: Deps, licences: LicenceService, events: MembershipEvents) {
  const { db, clock, config, jobs } = deps;

  /**
   * R-ORG-1: creates an organisation with its one owner (R-ORG-2), who is also its first member. The
   * caller owns the transaction; sign-up flows and the operator tool use it alike.
   */
  async function insertOrganisation(
    tx: Tx,
    actor: AuditActor,
    owner: { accountId: string; email: string; name: string },
    input: NewOrganisation & { billingMode: 'card' | 'manual'; ownerPractitioner: boolean; licences?: number },
  ): Promise<string> {
    const now = clock.now();
    const id = newId();
    await tx
      .insertInto('organisations')
      .values({
        id,
        name: input.name,
        owner_account_id: owner.accountId,
        billing_mode: input.billingMode,
        currency: config.billing.currency,
        licence_price_minor: config.billing.licencePriceMinor,
        billing_time_zone: input.billingTimeZone ?? config.billing.timeZone,
        billing_contact_email: input.billingContactEmail ?? null,
        practice: JSON.stringify({ name: input.name }),
        created_at: now,
        updated_at: now,
      })
      .execute();
    const orgActor = { ...actor, organisationId: id };
    await recordAudit(tx, clock, orgActor, { action: 'organisation.created', targetType: 'organisation', targetId: id, details: { billingMode: input.billingMode } });
    const org = await licences.lock(tx, id);
    const initial = input.licences ?? (input.ownerPractitioner ? 1 : 0);
    if (initial > 0) {
      const quote = await licences.quote(tx, org, initial, { bulk: true });
      await licences.buy(tx, org, orgActor, { quantity: initial, confirmedChargeMinor: quote.amountMinor, cause: 'bulk_purchase', description: 'Licences bought at creation' });
    }
    const membershipId = await insertMembership(tx, now, {
      organisationId: id,
      email: owner.email,
      name: owner.name,
      practitioner: input.ownerPractitioner,
      adminSections: [...ADMIN_SECTIONS],
      joins: { accountId: owner.accountId },
    });
    await recordAudit(tx, clock, orgActor, { action: 'membership.accepted', targetType: 'membership', targetId: membershipId, details: { owner: true } });
    await events.publish(tx, { type: 'membership.changed', organisationId: id, membershipId, accountId: owner.accountId, from: null, to: 'active', audit: orgActor });
    return id;
  }

  async function create(ctx: SignedInContext, input: NewOrganisation): Promise<OrganisationView> {
    const { actor } = ctx;
    if (!actor.emailVerified) {
      throw new ForbiddenError('email_unverified', 'Confirm your email address before creating an organisation.', { rule: 'R-ORG-1' });
    }
    const id = await inTransaction(db, (tx) =>
      insertOrganisation(tx, auditActorOf(ctx), { accountId: actor.accountId, email: actor.email, name: actor.name }, { ...input, billingMode: 'card', ownerPractitioner: false }),
    );
    return summary(id);
  }

  async function summary(organisationId: string): Promise<OrganisationView> {
    const o = await orgScope(db, organisationId)
      .organisation()
      .innerJoin('accounts as owner', 'owner.id', 'organisations.owner_account_id')
      .leftJoin('organisation_logos as logo', 'logo.organisation_id', 'organisations.id')
      .select((eb) => eb('logo.organisation_id', 'is not', null).as('has_logo'))
      .select([
        'organisations.id',
        'organisations.name',
        'organisations.billing_mode',
        'organisations.currency',
        'organisations.licence_price_minor',
        'organisations.billing_time_zone',
        'organisations.billing_contact_email',
        'organisations.practice',
        'organisations.status',
        'organisations.licences_purchased',
        'organisations.licences_assigned',
        'organisations.licences_reserved',
        'owner.id as owner_id',
        'owner.name as owner_name',
        'owner.email as owner_email',
      ])
      .executeTakeFirst();
    if (!o) throw new NotFoundError('organisation');
    const pool = { purchased: o.licences_purchased, assigned: o.licences_assigned, reserved: o.licences_reserved };
    return {
      id: o.id,
      name: o.name,
      owner: { accountId: o.owner_id, name: o.owner_name, email: o.owner_email },
      billingMode: o.billing_mode,
      billingTimeZone: o.billing_time_zone,
      billingContactEmail: o.billing_contact_email,
      status: o.status,
      practice: o.practice,
      hasLogo: Boolean(o.has_logo),
      licences: {
        ...pool,
        free: freeLicences(pool),
        currency: o.currency,
        unitPriceMinor: o.licence_price_minor,
        monthlyTotalMinor: monthlyTotalMinor(pool, o.licence_price_minor),
      },
    };
  }

  /** The console's view of the organisation, with the caller's own rights. */
  /** The organisation as the caller may see it: Payments & billing is the owner's alone (R-ORG-3); the pool's counts are for those who add users. */
  function shownTo(orgCtx: OrgRequestContext['org'], full: OrganisationView): ConsoleOrganisationView {
    if (orgCtx.isOwner) return full;
    const { unitPriceMinor: _price, monthlyTotalMinor: _total, ...counts } = full.licences;
    return { ...full, billingContactEmail: null, licences: orgCtx.sections.includes('users') ? counts : null };
  }

  async function get(ctx: OrgRequestContext): Promise<OrganisationAnswer> {
    const orgCtx = ctx.org;
    const organisation = shownTo(orgCtx, await summary(orgCtx.organisationId));
    return { organisation, me: { membershipId: orgCtx.membershipId, owner: orgCtx.isOwner, admin: orgCtx.isAdmin, sections: orgCtx.sections, practitioner: orgCtx.practitioner } };
  }

  async function updateSettings(ctx: OrgRequestContext, input: OrganisationSettings): Promise<OrganisationView> {
    const orgCtx = ctx.org;
    await inTransaction(db, async (tx) => {
      await licences.lock(tx, orgCtx.organisationId);
      await orgScope(tx, orgCtx.organisationId)
        .updateOrganisation()
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.billingTimeZone !== undefined ? { billing_time_zone: input.billingTimeZone } : {}),
          ...(input.billingContactEmail !== undefined ? { billing_contact_email: input.billingContactEmail } : {}),
          updated_at: clock.now(),
        })
        .execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'organisation.updated', targetType: 'organisation', targetId: orgCtx.organisationId, details: { fields: Object.keys(input) } });
    });
    return summary(orgCtx.organisationId);
  }

  /** R-ORG-4: practice defaults, copied onto every current member's own practice details. */
  async function setDefaults(ctx: OrgRequestContext, patch: PracticeDefaults): Promise<ConsoleOrganisationView> {
    const orgCtx = ctx.org;
    await inTransaction(db, async (tx) => {
      const scope = orgScope(tx, orgCtx.organisationId);
      const current = await scope.organisation().select('practice').forUpdate().executeTakeFirstOrThrow();
      const practice: Record<string, string> = { ...(current.practice as Record<string, string>) };
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === '') delete practice[k];
        else if (v !== undefined) practice[k] = v;
      }
      await scope.updateOrganisation().set({ practice: JSON.stringify(practice), updated_at: clock.now() }).execute();
      // Only the fields set now reach each active member's own copy; what they entered elsewhere
      // (and what other organisations set) stays.
      const members = await scope.memberships().select('memberships.account_id').where('memberships.state', '=', 'active').where('memberships.account_id', 'is not', null).execute();
      const ids = members.map((m) => m.account_id!);
      const setNow = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null && v !== undefined && v !== '')) as PracticeDetails;
      if (ids.length > 0 && Object.keys(setNow).length > 0) {
        await mergeAccountsPractice(tx, ids, setNow, clock.now());
      }
      await recordAudit(tx, clock, auditActorOf(ctx), {
        action: 'organisation.defaults_updated',
        targetType: 'organisation',
        targetId: orgCtx.organisationId,
        details: { fields: Object.keys(patch), practitionersUpdated: ids.length },
      });
    });
    return shownTo(orgCtx, await summary(orgCtx.organisationId));
  }

  /** R-ORG-4: the practice logo, a Practice default (checked and resized by the route). */
  async function setLogo(ctx: OrgRequestContext, image: { mimeType: ImageMime; data: Buffer }): Promise<ConsoleOrganisationView> {
    const orgCtx = ctx.org;
    await inTransaction(db, async (tx) => {
      await storeOrganisationLogo(tx, orgCtx.organisationId, image, clock.now());
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'organisation.defaults_updated', targetType: 'organisation', targetId: orgCtx.organisationId, details: { fields: ['logo'] } });
    });
    return shownTo(orgCtx, await summary(orgCtx.organisationId));
  }

  async function removeLogo(ctx: OrgRequestContext): Promise<ConsoleOrganisationView> {
    const orgCtx = ctx.org;
    await inTransaction(db, async (tx) => {
      const removed = await deleteOrganisationLogo(tx, orgCtx.organisationId);
      // A second click finds none: recorded as no change.
      if (!removed) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'organisation', targetId: orgCtx.organisationId, details: { reason: 'no_logo' } });
      } else {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'organisation.defaults_updated', targetType: 'organisation', targetId: orgCtx.organisationId, details: { fields: ['logo'] } });
      }
    });
    return shownTo(orgCtx, await summary(orgCtx.organisationId));
  }

  async function logo(ctx: OrgRequestContext): Promise<StoredLogo> {
    const found = await organisationLogo(db, ctx.org.organisationId);
    if (!found) throw new NotFoundError('logo');
    return found;
  }

  /** R-ORG-2: ownership moves only to an existing member, and only when they accept. */
  async function offerOwnership(ctx: OrgRequestContext, membershipId: string): Promise<{ transferId: string }> {
    const { actor, org: orgCtx } = ctx;
    const transferId = await inTransaction(db, async (tx) => {
      const org = await licences.lock(tx, orgCtx.organisationId);
      const m = await orgScope(tx, org.id).memberships().select(['memberships.id', 'memberships.account_id', 'memberships.state', 'memberships.name', 'memberships.email']).where('memberships.id', '=', membershipId).executeTakeFirst();
      if (!m) throw new NotFoundError('member');
      if (m.state !== 'active' || !m.account_id) throw new ConflictError('not_an_active_member', 'Ownership can only move to an active member.', { rule: 'R-ORG-2' });
      if (m.account_id === org.ownerAccountId) throw new ConflictError('already_owner', 'This member is the owner already.', { rule: 'R-ORG-2' });
      const cancelled = await tx
        .updateTable('ownership_transfers')
        .set({ state: 'cancelled', decided_at: clock.now() })
        .where('organisation_id', '=', org.id)
        .where('state', '=', 'pending')
        .returning(['id', 'from_account_id', 'to_account_id'])
        .execute();
      for (const c of cancelled) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'ownership.transfer_cancelled', targetType: 'ownership_transfer', targetId: c.id, details: { from: c.from_account_id, to: c.to_account_id } });
      }
      const id = newId();
      await tx.insertInto('ownership_transfers').values({ id, organisation_id: org.id, from_account_id: actor.accountId, to_account_id: m.account_id, state: 'pending', created_at: clock.now(), decided_at: null }).execute();
      await queueEmail(tx, clock, ownershipOfferMessage({ to: m.email, name: m.name, organisation: org.name, from: actor.name, url: `${config.publicUrl}/` }));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'ownership.transfer_offered', targetType: 'ownership_transfer', targetId: id, details: { from: actor.accountId, to: m.account_id } });
      return id;
    });
    jobs.kick();
    return { transferId };
  }

  async function decideOwnership(ctx: SignedInContext, transferId: string, accept: boolean): Promise<OrganisationView> {
    const { actor } = ctx;
    const t = await db.selectFrom('ownership_transfers').select(['id', 'organisation_id', 'to_account_id', 'from_account_id', 'state']).where('id', '=', transferId).executeTakeFirst();
    if (!t || t.to_account_id !== actor.accountId) throw new NotFoundError('ownership transfer');
    await inTransaction(db, async (tx) => {
      const org = await licences.lock(tx, t.organisation_id);
      const locked = await tx.selectFrom('ownership_transfers').select('state').where('id', '=', t.id).forUpdate().executeTakeFirstOrThrow();
      if (locked.state !== 'pending') throw new ConflictError('transfer_closed', 'This ownership transfer is no longer open.', { rule: 'R-ORG-2' });
      const actorOrg = auditActorOf(ctx, { organisationId: org.id });
      if (!accept) {
        await tx.updateTable('ownership_transfers').set({ state: 'declined', decided_at: clock.now() }).where('id', '=', t.id).execute();
        await recordAudit(tx, clock, actorOrg, { action: 'ownership.transfer_declined', targetType: 'ownership_transfer', targetId: t.id, details: { from: t.from_account_id, to: t.to_account_id } });
        return;
      }
      const member = await orgScope(tx, org.id).memberships().select(['memberships.id', 'memberships.state']).where('memberships.account_id', '=', actor.accountId).where('memberships.state', '=', 'active').executeTakeFirst();
      if (!member || org.ownerAccountId !== t.from_account_id) throw new ConflictError('transfer_closed', 'This ownership transfer is no longer valid.', { rule: 'R-ORG-2' });
      await orgScope(tx, org.id).updateOrganisation().set({ owner_account_id: actor.accountId, updated_at: clock.now() }).execute();
      // The new owner holds every section; the old owner stays a member, keeping every section as an admin.
      await orgScope(tx, org.id).updateMemberships().set({ is_admin: true, admin_sections: [...ADMIN_SECTIONS], updated_at: clock.now() }).where('memberships.account_id', 'in', [actor.accountId, t.from_account_id]).where('memberships.state', 'in', ['active', 'access_removed']).execute();
      await tx.updateTable('ownership_transfers').set({ state: 'accepted', decided_at: clock.now() }).where('id', '=', t.id).execute();
      await recordAudit(tx, clock, actorOrg, { action: 'ownership.transfer_accepted', targetType: 'ownership_transfer', targetId: t.id, details: { from: t.from_account_id, to: t.to_account_id } });
    });
    return summary(t.organisation_id);
  }

  /**
   * What a person sees at sign-in (R-PRA-1, R-PRA-4): their organisations with their standing in
   * each, open invitations, and ownership offers.
   */
  async function workspaceFor(accountId: string) {
    const rows = await db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .innerJoin('accounts as owner', 'owner.id', 'o.owner_account_id')
      .select(['m.id', 'm.state', 'm.practitioner', 'm.is_admin', 'm.admin_sections', 'o.id as organisation_id', 'o.name', 'o.status', 'o.owner_account_id', 'owner.name as owner_name', 'owner.email as owner_email'])
      .where('m.account_id', '=', accountId)
      .where('m.state', 'in', ['active', 'access_removed'])
      .where('o.kind', '=', 'organisation')
      .orderBy('o.name')
      .execute();
    const offers = await db
      .selectFrom('ownership_transfers as t')
      .innerJoin('organisations as o', 'o.id', 't.organisation_id')
      .innerJoin('accounts as a', 'a.id', 't.from_account_id')
      .select(['t.id', 'o.id as organisation_id', 'o.name as organisation', 'a.name as from_name'])
      .where('t.to_account_id', '=', accountId)
      .where('t.state', '=', 'pending')
      .execute();
    const organisations = rows.map((r): WorkspaceOrganisationView => {
      const owner = r.owner_account_id === accountId;
      return {
        id: r.organisation_id,
        name: r.name,
        membershipId: r.id,
        state: r.state === 'access_removed' ? 'access_removed' : 'active',
        status: r.status,
        owner,
        admin: owner || (r.is_admin && r.state === 'active'),
        sections: owner ? [...ADMIN_SECTIONS] : r.is_admin && r.state === 'active' ? r.admin_sections : [],
        practitioner: r.practitioner && r.state === 'active',
        contact: { name: r.owner_name, email: r.owner_email },
      };
    });
    const licence = await licenceStanding(db, accountId, clock.now());
    return {
      organisations,
      ownershipOffers: offers.map((o): OwnershipOfferView => ({ id: o.id, organisationId: o.organisation_id, organisation: o.organisation, from: o.from_name })),
      /** R-PRA-4, R-SUB-1: whether an organisation or a subscription lets this person work now. */
      hasLicence: licence.canWork,
      /** Where the licences come from, who manages each (R-SUB-4), and the notice shown without one. */
      licence,
    };
  }

  return { insertOrganisation, create, summary, get, updateSettings, setDefaults, setLogo, removeLogo, logo, offerOwnership, decideOwnership, workspaceFor };
}

export type OrganisationService = ReturnType<typeof createOrganisationService>;
