import { organisationMemberships, updateOrganisationMemberships } from '../memberships/data.ts';
import type { Queryable } from '../platform/db/database.ts';

/**
 * Data access bound to one organisation: every query it builds already filters on the tenant, so a
 * service cannot forget the filter. Services get it from the request's checked organisation context.
 */
export function orgScope(db: Queryable, organisationId: string) {
  return {
    organisationId,
    memberships: () => organisationMemberships(db, organisationId),
    updateMemberships: () => updateOrganisationMemberships(db, organisationId),
    organisation: () => db.selectFrom('organisations').where('organisations.id', '=', organisationId),
    updateOrganisation: () => db.updateTable('organisations').where('organisations.id', '=', organisationId),
  };
}

export type OrgScope = ReturnType<typeof orgScope>;
