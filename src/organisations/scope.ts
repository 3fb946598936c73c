import type { Queryable } from '../platform/db/database.ts';

/**
 * Data access bound to one organisation: every query it builds already filters on the tenant, so a
 * service cannot forget the filter. Services get it from the request's checked organisation context.
 */
export function orgScope(db: Queryable, organisationId: string) {
  return {
    organisationId,
    memberships: () => db.selectFrom('memberships').where('memberships.organisation_id', '=', organisationId),
    updateMemberships: () => db.updateTable('memberships').where('memberships.organisation_id', '=', organisationId),
    ledger: () => db.selectFrom('licence_ledger').where('licence_ledger.organisation_id', '=', organisationId),
    paymentMethods: () => db.selectFrom('payment_methods').where('payment_methods.organisation_id', '=', organisationId),
    updatePaymentMethods: () => db.updateTable('payment_methods').where('payment_methods.organisation_id', '=', organisationId),
    organisation: () => db.selectFrom('organisations').where('organisations.id', '=', organisationId),
    updateOrganisation: () => db.updateTable('organisations').where('organisations.id', '=', organisationId),
  };
}

export type OrgScope = ReturnType<typeof orgScope>;
