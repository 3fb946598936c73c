import { recordAudits } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import type { MembershipChanged } from '../memberships/events.ts';
import { organisationKind } from '../organisations/data.ts';
import { ownedPatientIds } from '../patients/data.ts';
import type { Tx } from '../platform/db/database.ts';

/**
 * R-PRA-3 and R-PRA-5: removing practitioner access disables the practitioner's active programmes
 * of patients treated in that organisation (those transferred away first are no longer theirs, and
 * those of another practice are not its business); granting access again with re-activation
 * brings back exactly the programmes that removal disabled.
 */
export function programmesOnMembershipChanged({ clock }: Pick<Deps, 'clock'>) {
  return async function onMembershipChanged(tx: Tx, e: MembershipChanged): Promise<void> {
    // Turning practitioner access off (the member stays, as an admin only) stops their work in the
    // organisation like a removal of access; turning it back on resumes what that stop disabled.
    const practitionerOff = e.from === 'active' && e.to === 'active' && e.practitioner === false;
    const practitionerOn = e.from === 'active' && e.to === 'active' && e.practitioner === true;
    const stop = (e.from === 'active' && e.to === 'access_removed') || practitionerOff;
    const resume = (e.from === 'access_removed' && e.to === 'active' && e.reactivateProgrammes) || practitionerOn;
    if (!e.accountId || (!stop && !resume)) return;
    const org = await organisationKind(tx, e.organisationId);
    if (org.kind !== 'organisation') return;
    const actor = e.audit;
    if (stop) {
      const disabled = await tx
        .updateTable('programmes')
        .set({ state: 'disabled', disabled_reason: 'access_removed', disabled_by_membership_id: e.membershipId, updated_at: clock.now() })
        .where('state', '=', 'active')
        .where('patient_id', 'in', ownedPatientIds(tx, e.accountId, e.organisationId))
        .returning(['id', 'patient_id'])
        .execute();
      await recordAudits(tx, clock, disabled.map((p) => ({ actor, event: { action: 'programme.disabled', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, membershipId: e.membershipId } } })));
    }
    if (resume) {
      const back = await tx
        .updateTable('programmes')
        .set({ state: 'active', disabled_reason: null, disabled_by_membership_id: null, updated_at: clock.now() })
        .where('state', '=', 'disabled')
        .where('disabled_by_membership_id', '=', e.membershipId)
        .where('patient_id', 'in', ownedPatientIds(tx, e.accountId, e.organisationId))
        .returning(['id', 'patient_id'])
        .execute();
      await recordAudits(tx, clock, back.map((p) => ({ actor, event: { action: 'programme.reactivated', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, membershipId: e.membershipId } } })));
    }
  };
}
