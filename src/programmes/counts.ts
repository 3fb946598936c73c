import type { Deps } from '../deps.ts';
import { memberIdentity } from '../memberships/data.ts';
import { countOwnedPatients, ownedPatientIds } from '../patients/data.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { OrgRequestContext } from '../platform/http/context.ts';
import type { ProgrammeCountsView } from './schemas.ts';

/** The console's counts for a member (R-PAT-2: counts, never clinical details). */
export function createProgrammeCounts({ db }: Pick<Deps, 'db'>) {
  async function countsForMember(ctx: OrgRequestContext, membershipId: string): Promise<ProgrammeCountsView> {
    const { organisationId } = ctx.org;
    const m = await memberIdentity(db, organisationId, membershipId);
    if (!m) throw new NotFoundError('member');
    if (!m.account_id) return { activeProgrammes: 0, disabledByRemoval: 0, patients: 0 };
    const owned = ownedPatientIds(db, m.account_id, organisationId);
    const [active, disabled, patients] = await Promise.all([
      db.selectFrom('programmes').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'active').where('patient_id', 'in', owned).executeTakeFirstOrThrow(),
      db.selectFrom('programmes').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'disabled').where('disabled_by_membership_id', '=', m.id).where('patient_id', 'in', owned).executeTakeFirstOrThrow(),
      countOwnedPatients(db, m.account_id, organisationId),
    ]);
    return { activeProgrammes: Number(active.n), disabledByRemoval: Number(disabled.n), patients };
  }

  return { countsForMember };
}
