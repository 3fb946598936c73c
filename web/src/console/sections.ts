/** Console sections (R-ORG-3) and the console pages that exist for them. */
import type { AdminSection, MyRightsView } from '../../../src/organisations/schemas.ts';

export const SECTION_ORDER: readonly AdminSection[] = ['users', 'sharing', 'defaults', 'security', 'import', 'audit'];

export const SECTION_LABELS: Record<AdminSection, string> = {
  users: 'Users',
  sharing: 'Sharing & content',
  defaults: 'Practice defaults',
  security: 'Security',
  import: 'Patient import',
  audit: 'Audit log',
};

export const SECTION_DESCRIPTIONS: Record<AdminSection, string> = {
  users: 'Add, remove and manage users and their licences',
  sharing: 'Content shared across the organisation',
  defaults: 'Practice details given to every practitioner',
  security: 'Security settings of the organisation',
  import: 'Bring in patients from other systems',
  audit: "The organisation's audit trail",
};

export function sectionLabel(section: string): string {
  return SECTION_LABELS[section as AdminSection] ?? section;
}

/** Sections in their usual order; "All sections" when every one is held. */
export function describeSections(sections: readonly AdminSection[]): string {
  if (sections.length === 0) return 'No sections';
  if (SECTION_ORDER.every((s) => sections.includes(s))) return 'All sections';
  return SECTION_ORDER.filter((s) => sections.includes(s)).map((s) => SECTION_LABELS[s]).join(', ');
}

export type ConsolePageId = 'users' | 'billing' | 'admins' | 'integrations' | 'sharing' | 'defaults' | 'import';

export interface ConsolePage {
  id: ConsolePageId;
  /** Path below /console/:orgId/. */
  path: string;
  label: string;
}

const PAGES: { page: ConsolePage; allowed: (me: Pick<MyRightsView, 'owner' | 'sections'>) => boolean }[] = [
  { page: { id: 'users', path: 'users', label: 'Users' }, allowed: (me) => me.sections.includes('users') },
  { page: { id: 'billing', path: 'billing', label: 'Licences & billing' }, allowed: (me) => me.owner },
  { page: { id: 'admins', path: 'admins', label: 'Admins' }, allowed: (me) => me.sections.includes('users') },
  // PMS links (R-INT-1) and the organisation's API keys (R-INT-3): the owner's and Users admins'.
  { page: { id: 'integrations', path: 'integrations', label: 'Integrations' }, allowed: (me) => me.owner || me.sections.includes('users') },
  { page: { id: 'sharing', path: 'sharing', label: 'Sharing & content' }, allowed: (me) => me.sections.includes('sharing') },
  { page: { id: 'defaults', path: 'defaults', label: 'Practice defaults' }, allowed: (me) => me.sections.includes('defaults') },
  { page: { id: 'import', path: 'import', label: 'Patient import' }, allowed: (me) => me.sections.includes('import') },
];

/** The console pages this person may open: only sections they hold; Payments & billing for the owner. */
export function consolePagesFor(me: Pick<MyRightsView, 'owner' | 'sections'>): ConsolePage[] {
  return PAGES.filter((p) => p.allowed(me)).map((p) => p.page);
}
