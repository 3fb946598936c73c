import { recordAudit, recordAudits } from '../audit/record.ts';
import type { MembershipEvents } from '../memberships/events.ts';
import { accountNameOf } from '../accounts/data.ts';
import type { Deps } from '../deps.ts';
import { memberAccountStanding, memberIdsOfAccounts } from '../memberships/data.ts';
import { decryptSecret, encryptSecret, newId } from '../platform/crypto.ts';
import { inTransaction, type Queryable, type Tx } from '../platform/db/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext } from '../platform/http/context.ts';
import { issueApiKey, keyViewById, revokeApiKey } from './keys.ts';
import type { LinkInput, PmsLinkView } from './schemas.ts';

/** What the PMS token's ciphertext is bound to: copied to another link, it does not decrypt. */
const tokenContext = (linkId: string) => `pms_link:${linkId}`;

/**
 * R-INT-1: a practitioner's account linked to the practice's PMS. Made by the practitioner or by a
 * Users admin, only once the practitioner accepted the invitation; the PMS's token is kept
 * encrypted with the operator's key, and a Motus API key limited to the practice is issued for the
 * PMS. Unlinking revokes that key in the same transaction.
 */
export function createPmsLinkService({ db, clock, config }: Deps, events: MembershipEvents) {
  // Someone who leaves the practice leaves its PMS link and every key limited to it, in the
  // removal's transaction: invited again later, they start without them (R-INT-1, R-INT-3).
  events.subscribe(async (tx, event) => {
    if (event.to !== 'removed' || !event.accountId) return;
    const now = clock.now();
    const links = await tx
      .updateTable('pms_links')
      .set({ unlinked_at: now, unlinked_by: event.audit.accountId })
      .where('organisation_id', '=', event.organisationId)
      .where('account_id', '=', event.accountId)
      .where('unlinked_at', 'is', null)
      .returning(['id', 'pms_name', 'api_key_id'])
      .execute();
    const revoke = (reason: 'unlinked' | 'revoked', ids: string[] | null) => {
      let q = tx
        .updateTable('api_keys')
        .set({ revoked_at: now, revoked_by: event.audit.accountId, revoked_reason: reason })
        .where('organisation_id', '=', event.organisationId)
        .where('account_id', '=', event.accountId!)
        .where('revoked_at', 'is', null);
      if (ids) q = q.where('id', 'in', ids);
      return q.returning(['id', 'prefix', 'revoked_reason']).execute();
    };
    const keys = [...(links.length > 0 ? await revoke('unlinked', links.map((l) => l.api_key_id)) : []), ...(await revoke('revoked', null))];
    const prefixOf = new Map(keys.map((k) => [k.id, k.prefix]));
    await recordAudits(tx, clock, [
      ...links.map((l) => ({ actor: event.audit, event: { action: 'pms.unlinked' as const, targetType: 'pms_link' as const, targetId: l.id, details: { membershipId: event.membershipId, pmsName: l.pms_name, apiKeyPrefix: prefixOf.get(l.api_key_id) ?? '' } } })),
      ...keys.map((k) => ({ actor: event.audit, event: { action: 'api_key.revoked' as const, targetType: 'api_key' as const, targetId: k.id, details: { prefix: k.prefix, reason: k.revoked_reason ?? 'revoked' } } })),
    ]);
  });

  async function linkRow(q: Queryable, organisationId: string, accountId: string) {
    return q
      .selectFrom('pms_links')
      .select(['pms_links.id', 'pms_links.organisation_id', 'pms_links.account_id', 'pms_links.pms_name', 'pms_links.api_key_id', 'pms_links.created_at'])
      .select((eb) => accountNameOf(eb.ref('pms_links.account_id')).as('practitioner_name'))
      .where('pms_links.organisation_id', '=', organisationId)
      .where('pms_links.account_id', '=', accountId)
      .where('pms_links.unlinked_at', 'is', null)
      .executeTakeFirst();
  }

  async function view(q: Queryable, memberId: string, row: NonNullable<Awaited<ReturnType<typeof linkRow>>>): Promise<PmsLinkView> {
    return {
      id: row.id,
      organisationId: row.organisation_id,
      memberId,
      practitionerName: row.practitioner_name ?? '',
      pmsName: row.pms_name,
      tokenStored: true,
      apiKey: await keyViewById(q, row.api_key_id, clock.now()),
      createdAt: row.created_at.toISOString(),
    };
  }

  /** The member's account, once they accepted the invitation and hold practitioner access (R-INT-1). */
  async function linkableAccount(q: Queryable, ctx: OrgRequestContext, memberId: string): Promise<string> {
    const member = await memberAccountStanding(q, ctx.org.organisationId, memberId);
    if (!member) throw new NotFoundError('member');
    if (member.state === 'invited') {
      throw new ConflictError('invitation_not_accepted', 'A practitioner can be linked to the PMS only after they accept the invitation.', { rule: 'R-INT-1' });
    }
    if (member.state !== 'active' || !member.account_id) throw new ConflictError('not_active_member', 'Only a practitioner who works in the practice can be linked to the PMS.', { rule: 'R-INT-1' });
    if (!member.practitioner) throw new ConflictError('not_a_practitioner', 'Only a member with practitioner access can be linked to the PMS.', { rule: 'R-INT-1' });
    return member.account_id;
  }

  async function unlinkIn(tx: Tx, ctx: OrgRequestContext, memberId: string, accountId: string): Promise<boolean> {
    const live = await tx
      .updateTable('pms_links')
      .set({ unlinked_at: clock.now(), unlinked_by: ctx.actor.accountId })
      .where('organisation_id', '=', ctx.org.organisationId)
      .where('account_id', '=', accountId)
      .where('unlinked_at', 'is', null)
      .returning(['id', 'pms_name', 'api_key_id'])
      .executeTakeFirst();
    if (!live) return false;
    await revokeApiKey(tx, clock, ctx, live.api_key_id, 'unlinked');
    const prefix = (await keyViewById(tx, live.api_key_id, clock.now())).prefix;
    await recordAudit(tx, clock, auditActorOf(ctx), { action: 'pms.unlinked', targetType: 'pms_link', targetId: live.id, details: { membershipId: memberId, pmsName: live.pms_name, apiKeyPrefix: prefix } });
    return true;
  }

  async function link(ctx: OrgRequestContext, memberId: string, input: LinkInput) {
    const now = clock.now();
    let expiresAt: Date | null = null;
    if (input.expiresAt !== null) {
      expiresAt = new Date(input.expiresAt);
      if (expiresAt <= now) throw ValidationError.field('body.expiresAt', 'in_past', 'Choose a time in the future, or no expiry.');
    }
    return inTransaction(db, async (tx) => {
      const accountId = await linkableAccount(tx, ctx, memberId);
      // A second link replaces the first: its key stops working in the same transaction.
      await unlinkIn(tx, ctx, memberId, accountId);
      const key = await issueApiKey(
        tx,
        clock,
        ctx,
        { kind: 'practitioner', accountId, organisationId: ctx.org.organisationId, name: `${input.pmsName} (PMS link)`.slice(0, 100), scopes: input.scopes, expiresAt, createdBy: ctx.actor.accountId },
        { pmsLink: true },
      );
      const id = newId();
      await tx
        .insertInto('pms_links')
        .values({
          id,
          organisation_id: ctx.org.organisationId,
          account_id: accountId,
          pms_name: input.pmsName,
          token_ciphertext: encryptSecret(config.dataEncryptionKey, input.pmsToken, tokenContext(id)),
          api_key_id: key.id,
          created_by: ctx.actor.accountId,
          created_at: now,
          unlinked_at: null,
          unlinked_by: null,
        })
        .execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'pms.linked', targetType: 'pms_link', targetId: id, details: { membershipId: memberId, pmsName: input.pmsName, apiKeyPrefix: key.prefix } });
      const row = await linkRow(tx, ctx.org.organisationId, accountId);
      return { link: await view(tx, memberId, row!), token: key.token };
    });
  }

  async function unlink(ctx: OrgRequestContext, memberId: string): Promise<void> {
    await inTransaction(db, async (tx) => {
      const member = await memberAccountStanding(tx, ctx.org.organisationId, memberId);
      if (!member?.account_id) throw new NotFoundError('member');
      if (!(await unlinkIn(tx, ctx, memberId, member.account_id))) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'membership', targetId: memberId, details: { reason: 'not_linked' } });
      }
    });
  }

  async function linkOf(ctx: OrgRequestContext) {
    const row = await linkRow(db, ctx.org.organisationId, ctx.actor.accountId);
    return { link: row ? await view(db, ctx.org.membershipId, row) : null };
  }

  async function links(ctx: OrgRequestContext) {
    const rows = await db.selectFrom('pms_links').select('account_id').where('organisation_id', '=', ctx.org.organisationId).where('unlinked_at', 'is', null).orderBy('created_at').execute();
    const memberIds = await memberIdsOfAccounts(db, ctx.org.organisationId, rows.map((r) => r.account_id));
    const out: PmsLinkView[] = [];
    for (const r of rows) {
      const memberId = memberIds.get(r.account_id);
      const row = await linkRow(db, ctx.org.organisationId, r.account_id);
      if (row && memberId) out.push(await view(db, memberId, row));
    }
    return { links: out };
  }

  /** The PMS's token, for calls Motus makes to the PMS; never part of an answer. */
  async function pmsToken(organisationId: string, accountId: string): Promise<string | null> {
    const row = await db.selectFrom('pms_links').select(['id', 'token_ciphertext']).where('organisation_id', '=', organisationId).where('account_id', '=', accountId).where('unlinked_at', 'is', null).executeTakeFirst();
    return row ? decryptSecret(config.dataEncryptionKey, row.token_ciphertext, tokenContext(row.id)) : null;
  }

  return {
    link,
    unlink,
    linkOf,
    links,
    pmsToken,
    linkOwn: (ctx: OrgRequestContext, input: LinkInput) => link(ctx, ctx.org.membershipId, input),
    unlinkOwn: (ctx: OrgRequestContext) => unlink(ctx, ctx.org.membershipId),
  };
}
export type PmsLinkService = ReturnType<typeof createPmsLinkService>;
