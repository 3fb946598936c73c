import { describe, expect, it } from 'vitest';
import type { ApiKeyView, PmsLinkView } from '../../../src/integrations/schemas.ts';
import type { WorkspaceView } from '../../../src/organisations/schemas.ts';
import {
  describeExpiry,
  describeLastUse,
  expiryFromDay,
  keyStatus,
  linkCandidates,
  localDay,
  memberLinkState,
  newOwnKeySchema,
  practiceName,
  practiceOptions,
  PRACTITIONER_SCOPE_OPTIONS,
  scopeLabels,
} from './keys.ts';

const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';
const SUB = '00000000-0000-4000-8000-00000000000c';

const contact = { name: 'Olive Owner', email: 'olive@example.org' };

function source(organisationId: string, name: string, kind: 'organisation' | 'subscription', blocked: 'access_removed' | null = null) {
  return { kind, organisationId, name, own: kind === 'subscription', managedBy: contact, blocked, subscription: null };
}

const workspace = {
  organisations: [
    { id: ORG_A, name: 'Riverside Physio', membershipId: ORG_A, state: 'active', status: 'active', owner: false, admin: false, sections: [], practitioner: true, contact },
    { id: ORG_B, name: 'Hillside Clinic', membershipId: ORG_B, state: 'access_removed', status: 'active', owner: false, admin: false, sections: [], practitioner: true, contact },
  ],
  licence: {
    canWork: true,
    notice: null,
    sources: [source(ORG_A, 'Riverside Physio', 'organisation'), source(ORG_B, 'Hillside Clinic', 'organisation', 'access_removed'), source(SUB, 'Jo Smith', 'subscription')],
  },
} as unknown as WorkspaceView;

describe('scopeLabels (R-INT-3)', () => {
  it('says what a key may do in plain words, in the order the server lists scopes', () => {
    expect(scopeLabels(['engagement.read', 'patients.read'])).toEqual(['Read patients', 'Read what patients recorded and their messages']);
    expect(scopeLabels(['console.read'])).toEqual(['Read the organisation console']);
  });

  it('keeps a scope it does not know as it is rather than dropping it', () => {
    expect(scopeLabels(['patients.read', 'future.scope'])).toEqual(['Read patients', 'future.scope']);
  });

  it('offers a practitioner only the scopes their key may hold (never console.read)', () => {
    expect(PRACTITIONER_SCOPE_OPTIONS.map((o) => o.value)).toEqual(['patients.read', 'patients.write', 'programmes.assign', 'engagement.read']);
  });
});

describe('key status and times', () => {
  it('names each status with its colour, and an unknown one as it is', () => {
    expect(keyStatus('active')).toEqual({ label: 'Active', color: 'green' });
    expect(keyStatus('expired').label).toBe('Expired');
    expect(keyStatus('revoked')).toEqual({ label: 'Revoked', color: 'gray' });
    expect(keyStatus('paused')).toEqual({ label: 'paused', color: 'gray' });
  });

  it('tells when and from where a key was last used, or that it never was', () => {
    const now = new Date(2026, 11, 3, 15, 0);
    expect(describeLastUse({ lastUsedAt: null, lastUsedIp: null }, now)).toBe('Never used');
    const used = describeLastUse({ lastUsedAt: new Date(2026, 11, 3, 10, 42).toISOString(), lastUsedIp: '203.0.113.7' }, now);
    expect(used).toMatch(/^today at .+ from 203\.0\.113\.7$/);
    expect(describeLastUse({ lastUsedAt: new Date(2026, 11, 3, 10, 42).toISOString(), lastUsedIp: null }, now)).toMatch(/^today at /);
  });

  it('says "Never" for a key without expiry', () => {
    expect(describeExpiry({ expiresAt: null } as Pick<ApiKeyView, 'expiresAt'>)).toBe('Never');
    expect(describeExpiry({ expiresAt: new Date(2027, 5, 30, 14, 30).toISOString() })).not.toMatch(/^(Never|End of)/);
  });

  it('reads a key made with a last day as working until the end of that day', () => {
    const text = describeExpiry({ expiresAt: expiryFromDay('2027-06-30') });
    expect(text).toMatch(/^End of /);
    expect(text).toContain('30');
    expect(text).toContain('2027');
  });
});

describe('expiryFromDay', () => {
  it('lets the key work all of the chosen day: it expires at the next local midnight', () => {
    expect(expiryFromDay('2027-06-30')).toBe(new Date(2027, 5, 31, 0, 0, 0).toISOString());
    expect(expiryFromDay('2027-12-31')).toBe(new Date(2028, 0, 1).toISOString());
  });

  it('answers null for anything that is not a day', () => {
    expect(expiryFromDay('')).toBeNull();
    expect(expiryFromDay('30/06/2027')).toBeNull();
  });

  it('writes today as a date input does', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('newOwnKeySchema', () => {
  it('asks for a name and at least one scope, and refuses a day in the past', () => {
    const result = newOwnKeySchema.safeParse({ name: ' ', scopes: [], expiresAt: '2000-01-01', organisationId: '' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'scopes', 'expiresAt']));
  });

  it('accepts a key without expiry, for every practice', () => {
    expect(newOwnKeySchema.safeParse({ name: 'PMS', scopes: ['patients.read'], expiresAt: '', organisationId: '' }).success).toBe(true);
  });
});

describe('practices of a key', () => {
  it('offers the practices where the person can work now, subscriptions included, without one whose access was removed', () => {
    expect(practiceOptions(workspace)).toEqual([
      { value: ORG_A, label: 'Riverside Physio' },
      { value: SUB, label: 'Jo Smith' },
    ]);
    expect(practiceOptions(undefined)).toEqual([]);
  });

  it("names a key's practice, all practices, or one the person left", () => {
    expect(practiceName(null, workspace)).toBe('All practices where you work');
    expect(practiceName(ORG_B, workspace)).toBe('Hillside Clinic');
    expect(practiceName('00000000-0000-4000-8000-0000000000ff', workspace)).toBe('A practice you no longer work in');
  });
});

describe('PMS links of members (R-INT-1)', () => {
  const link = { memberId: 'm1', pmsName: 'Medatixx' } as PmsLinkView;

  it('lets only a practitioner who accepted the invitation be linked', () => {
    expect(memberLinkState({ status: 'active' }, undefined)).toEqual({ kind: 'linkable' });
    expect(memberLinkState({ status: 'unconfirmed' }, undefined)).toEqual({ kind: 'awaiting_acceptance' });
    expect(memberLinkState({ status: 'access_removed' }, undefined).kind).toBe('not_working');
    expect(memberLinkState({ status: 'removed' }, undefined).kind).toBe('not_working');
  });

  it('shows a link whatever the member state, so that it can be unlinked', () => {
    expect(memberLinkState({ status: 'access_removed' }, link)).toEqual({ kind: 'linked', link });
  });

  it('lists practitioners who are invited, working or without access, not admins alone nor closed invitations', () => {
    const roles = (practitioner: boolean) => ({ owner: false, admin: !practitioner, practitioner, sections: [] });
    const members = [
      { id: 'a', status: 'active' as const, roles: roles(true) },
      { id: 'b', status: 'unconfirmed' as const, roles: roles(true) },
      { id: 'c', status: 'active' as const, roles: roles(false) },
      { id: 'd', status: 'declined' as const, roles: roles(true) },
      { id: 'e', status: 'access_removed' as const, roles: roles(true) },
    ];
    expect(linkCandidates(members).map((m) => m.id)).toEqual(['a', 'b', 'e']);
  });
});
