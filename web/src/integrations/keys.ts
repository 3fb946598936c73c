/**
 * How API keys (R-INT-3) and PMS links (R-INT-1) read on screen: scopes in plain words, the key's
 * status, the practice it is limited to, and which members of a practice can be linked to its PMS.
 */
import { z } from 'zod';
import { SCOPE_LABELS, type ApiKeyView, type PmsLinkView } from '../../../src/integrations/schemas.ts';
import type { MemberView } from '../../../src/memberships/schemas.ts';
import type { WorkspaceView } from '../../../src/organisations/schemas.ts';
import { API_SCOPES, PRACTITIONER_SCOPES, type ApiScope } from '../../../src/platform/http/contract.ts';
import { formatDate, formatDateTime, formatWhen } from '../app/format.ts';

export { PRACTITIONER_SCOPES };

/** The scopes' plain words, in the order the server lists scopes (unknown ones as they are). */
export function scopeLabels(scopes: readonly string[]): string[] {
  const known = API_SCOPES.filter((scope) => scopes.includes(scope)).map((scope) => SCOPE_LABELS[scope]);
  const unknown = scopes.filter((scope) => !(API_SCOPES as readonly string[]).includes(scope));
  return [...known, ...unknown];
}

export const PRACTITIONER_SCOPE_OPTIONS: { value: ApiScope; label: string }[] = PRACTITIONER_SCOPES.map((scope) => ({ value: scope, label: SCOPE_LABELS[scope] }));

export const KEY_STATUS: Record<ApiKeyView['status'], { label: string; color: string }> = {
  active: { label: 'Active', color: 'green' },
  expired: { label: 'Expired', color: 'orange' },
  revoked: { label: 'Revoked', color: 'gray' },
};

export function keyStatus(status: string): { label: string; color: string } {
  return KEY_STATUS[status as ApiKeyView['status']] ?? { label: status, color: 'gray' };
}

/** "Never used", or "today at 10:42 from 203.0.113.7". */
export function describeLastUse(key: Pick<ApiKeyView, 'lastUsedAt' | 'lastUsedIp'>, now: Date = new Date()): string {
  if (!key.lastUsedAt) return 'Never used';
  const when = formatWhen(key.lastUsedAt, now);
  return key.lastUsedIp ? `${when} from ${key.lastUsedIp}` : when;
}

/**
 * "Never", or when the key stops (or stopped) working. A key made with a last day expires at the
 * next local midnight (expiryFromDay), which reads as the end of that day.
 */
export function describeExpiry(key: Pick<ApiKeyView, 'expiresAt'>): string {
  if (!key.expiresAt) return 'Never';
  const at = new Date(key.expiresAt);
  if (Number.isNaN(at.getTime())) return 'Never';
  if (at.getHours() === 0 && at.getMinutes() === 0 && at.getSeconds() === 0 && at.getMilliseconds() === 0) {
    const lastDay = new Date(at.getFullYear(), at.getMonth(), at.getDate() - 1);
    return `End of ${formatDate(lastDay.toISOString())}`;
  }
  return formatDateTime(key.expiresAt);
}

export interface PracticeOption {
  value: string;
  label: string;
}

/**
 * The practices a practitioner works in now, for limiting a key to one of them: the sources of a
 * working licence (organisations and individual subscriptions), as the server checks them.
 */
export function practiceOptions(workspace: Pick<WorkspaceView, 'licence'> | undefined): PracticeOption[] {
  const options: PracticeOption[] = [];
  for (const source of workspace?.licence.sources ?? []) {
    if (source.blocked !== null || options.some((o) => o.value === source.organisationId)) continue;
    options.push({ value: source.organisationId, label: source.name });
  }
  return options;
}

/** The name of the practice a key is limited to, from what the person's workspace knows. */
export function practiceName(organisationId: string | null, workspace: Pick<WorkspaceView, 'licence' | 'organisations'> | undefined): string {
  if (organisationId === null) return 'All practices where you work';
  const source = workspace?.licence.sources.find((s) => s.organisationId === organisationId);
  if (source) return source.name;
  const organisation = workspace?.organisations.find((o) => o.id === organisationId);
  return organisation?.name ?? 'A practice you no longer work in';
}

/** A calendar day ("2027-06-30") as the first moment after it, in the person's own time zone: the key works all that day. */
export function expiryFromDay(day: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!match) return null;
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1);
  return Number.isNaN(end.getTime()) ? null : end.toISOString();
}

/** Today as a date input writes it ("2026-12-03"), in the person's own time zone. */
export function localDay(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const KEY_NAME_MAX = 100;

const keyName = z.string().trim().min(1, 'Give the key a name, such as the system that will use it.').max(KEY_NAME_MAX, `Use at most ${KEY_NAME_MAX} characters.`);

/** An optional last day; empty for a key that does not expire. */
const expiryDay = z.string().refine((day) => day.trim() === '' || (expiryFromDay(day) !== null && day.trim() >= localDay()), 'Choose today or a later day, or leave it empty.');

/** Client-side checks of "New key", mirroring the server's (src/integrations/schemas.ts). */
export const newOwnKeySchema = z.object({
  name: keyName,
  scopes: z.array(z.string()).min(1, 'Choose at least one thing the key may do.'),
  expiresAt: expiryDay,
  organisationId: z.string(),
});
export type NewOwnKeyValues = z.input<typeof newOwnKeySchema>;

export const newOrgKeySchema = z.object({ name: keyName, expiresAt: expiryDay });
export type NewOrgKeyValues = z.input<typeof newOrgKeySchema>;

export const pmsLinkSchema = z.object({
  pmsName: z.string().trim().min(1, 'Name the practice management system.').max(100, 'Use at most 100 characters.'),
  pmsToken: z.string().trim().min(8, 'The PMS token is at least 8 characters.').max(4000, 'The PMS token is at most 4000 characters.'),
});
export type PmsLinkValues = z.input<typeof pmsLinkSchema>;

export type MemberLinkState =
  | { kind: 'linked'; link: PmsLinkView }
  | { kind: 'linkable' }
  /** R-INT-1: only after the practitioner accepted the invitation. */
  | { kind: 'awaiting_acceptance' }
  | { kind: 'not_working'; reason: string };

/** Whether a practitioner member can be linked to the PMS now, or is linked already (R-INT-1). */
export function memberLinkState(member: Pick<MemberView, 'status'>, link: PmsLinkView | undefined): MemberLinkState {
  if (link) return { kind: 'linked', link };
  if (member.status === 'unconfirmed') return { kind: 'awaiting_acceptance' };
  if (member.status === 'active') return { kind: 'linkable' };
  if (member.status === 'access_removed') return { kind: 'not_working', reason: 'Can be linked once their access is given back.' };
  return { kind: 'not_working', reason: 'Only a practitioner who works in the practice can be linked.' };
}

/** The members a PMS link can concern: practitioners who are invited, working, or whose access was removed. */
export function linkCandidates<M extends Pick<MemberView, 'status' | 'roles'>>(members: readonly M[]): M[] {
  return members.filter((m) => m.roles.practitioner && (m.status === 'unconfirmed' || m.status === 'active' || m.status === 'access_removed'));
}
