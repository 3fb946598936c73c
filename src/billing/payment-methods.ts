import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import type { LicenceService } from '../licences/service.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction } from '../platform/db/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext } from '../platform/http/context.ts';
import { paymentMethodsOf, updatePaymentMethodsOf } from './data.ts';
import { CardRejectedError, type CardDetails, type PaymentGateway } from './gateway.ts';
import type { PaymentMethodView } from './schemas.ts';

/** R-LIC-7: the owner's cards, kept only as the gateway's token, brand, last four and expiry. */
export function createPaymentMethodService(deps: Deps, gateway: PaymentGateway, licences: LicenceService) {
  const { db, clock } = deps;

  async function list(ctx: OrgRequestContext): Promise<PaymentMethodView[]> {
    const { org } = ctx;
    const rows = await paymentMethodsOf(db, org.organisationId).selectAll().where('removed_at', 'is', null).orderBy('role', 'desc').execute();
    return rows.map((r) => ({ id: r.id, brand: r.brand, last4: r.last4, expMonth: r.exp_month, expYear: r.exp_year, role: r.role, createdAt: r.created_at.toISOString() }));
  }

  /** Adds a card; a first card is the primary one, a second the backup. */
  async function add(ctx: OrgRequestContext, card: CardDetails): Promise<PaymentMethodView> {
    const { org } = ctx;
    let tokenised;
    try {
      // The gateway is called before the transaction: nothing external runs inside one.
      tokenised = await gateway.tokenise(card);
    } catch (err) {
      if (err instanceof CardRejectedError) throw ValidationError.field('body.number', err.reason, err.message);
      throw err;
    }
    const id = await inTransaction(db, async (tx) => {
      await licences.lock(tx, org.organisationId);
      const existing = await paymentMethodsOf(tx, org.organisationId).select(['id', 'role']).where('removed_at', 'is', null).execute();
      if (existing.length >= 2) throw new ConflictError('payment_methods_full', 'An organisation keeps one card and one backup. Remove one first.', { rule: 'R-LIC-7' });
      const role = existing.some((e) => e.role === 'primary') ? 'backup' : 'primary';
      const id = newId();
      await tx
        .insertInto('payment_methods')
        .values({
          id,
          organisation_id: org.organisationId,
          gateway: gateway.name,
          gateway_token: tokenised.token,
          brand: tokenised.brand,
          last4: tokenised.last4,
          exp_month: tokenised.expMonth,
          exp_year: tokenised.expYear,
          role,
          created_at: clock.now(),
          removed_at: null,
        })
        .execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'payment_method.added', targetType: 'payment_method', targetId: id, details: { brand: tokenised.brand, last4: tokenised.last4, role } });
      return id;
    });
    return (await list(ctx)).find((p) => p.id === id)!;
  }

  /** Removes a card; while billed by card at least one stays (R-LIC-7). A removed primary's backup takes over. */
  async function remove(ctx: OrgRequestContext, id: string): Promise<PaymentMethodView[]> {
    const { org } = ctx;
    await inTransaction(db, async (tx) => {
      const o = await licences.lock(tx, org.organisationId);
      const methods = await paymentMethodsOf(tx, org.organisationId).selectAll().where('removed_at', 'is', null).execute();
      const target = methods.find((m) => m.id === id);
      if (!target) throw new NotFoundError('payment method');
      if (methods.length === 1 && o.billingMode === 'card') {
        throw new ConflictError('last_payment_method', 'Add another card before removing this one: an organisation billed by card keeps at least one.', { rule: 'R-LIC-7' });
      }
      await updatePaymentMethodsOf(tx, org.organisationId).set({ removed_at: clock.now() }).where('id', '=', id).execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'payment_method.removed', targetType: 'payment_method', targetId: id, details: { brand: target.brand, last4: target.last4, role: target.role } });
      const backup = methods.find((m) => m.id !== id && m.role === 'backup');
      if (target.role === 'primary' && backup) {
        await updatePaymentMethodsOf(tx, org.organisationId).set({ role: 'primary' }).where('id', '=', backup.id).execute();
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'payment_method.promoted', targetType: 'payment_method', targetId: backup.id, details: { brand: backup.brand, last4: backup.last4, role: 'primary' } });
      }
    });
    return list(ctx);
  }

  return { list, add, remove };
}

export type PaymentMethodService = ReturnType<typeof createPaymentMethodService>;
