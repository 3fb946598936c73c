import type { Deps } from '../deps.ts';
import type { MembershipEvents } from '../memberships/events.ts';
import { createProgrammeCounts } from './counts.ts';
import { programmesOnMembershipChanged } from './membership-changes.ts';
import { createPatientPage } from './patient-page.ts';
import { createAssignedProgrammes } from './programmes.ts';
import { createTemplates } from './templates.ts';

/**
 * Programmes (R-PRG-1..3): assigned to a patient with a code the patient opens them with, templates
 * in the practitioner's library, the patient's page, and the states the console's rules set
 * (R-PRA-3, R-PRA-5).
 */
export function createProgrammeService(deps: Deps, events: MembershipEvents) {
  events.subscribe(programmesOnMembershipChanged(deps));
  return {
    ...createAssignedProgrammes(deps),
    ...createTemplates(deps),
    ...createPatientPage(deps),
    ...createProgrammeCounts(deps),
  };
}

export type ProgrammeService = ReturnType<typeof createProgrammeService>;
