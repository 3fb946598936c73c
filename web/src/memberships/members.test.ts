import { describe, expect, it } from 'vitest';
import { accessLogLabel, actorPhrase, adminSummary, licenceLabel, memberActions, roleNames, statusLabel } from './members.ts';
import { describeSections } from '../console/sections.ts';
import type { MemberView } from '../../../src/memberships/schemas.ts';

const member = (over: Partial<MemberView> = {}, roles: Partial<MemberView['roles']> = {}): MemberView => ({
  id: 'm-1',
  accountId: 'a-1',
  name: 'Jane Doe',
  email: 'jane@example.com',
  status: 'active',
  licence: 'assigned',
  roles: { owner: false, practitioner: true, admin: false, sections: [], ...roles },
  invitedAt: '2026-05-01T10:00:00Z',
  joinedAt: '2026-05-02T10:00:00Z',
  invitationExpiresAt: null,
  accessRemovedAt: null,
  ...over,
});

const owner = { membershipId: 'me', owner: true };
const admin = { membershipId: 'me', owner: false };

describe('member labels', () => {
  it('names statuses, licences and roles', () => {
    expect(statusLabel('unconfirmed').label).toBe('Unconfirmed');
    expect(statusLabel('access_removed').label).toBe('Access removed');
    expect(statusLabel('something_new').label).toBe('something new');
    expect(licenceLabel('reserved')).toBe('Reserved');
    expect(licenceLabel('none')).toBe('—');
    expect(roleNames({ owner: true, admin: true, practitioner: true, sections: [] })).toEqual(['Owner', 'Practitioner']);
    expect(roleNames({ owner: false, admin: true, practitioner: false, sections: ['users'] })).toEqual(['Admin']);
  });

  it('summarises admin sections', () => {
    expect(adminSummary({ owner: false, admin: true, practitioner: false, sections: ['defaults', 'users'] })).toBe('Users, Practice defaults');
    expect(adminSummary({ owner: false, admin: false, practitioner: true, sections: [] })).toBeNull();
    expect(describeSections(['users', 'sharing', 'defaults', 'security', 'import', 'audit'])).toBe('All sections');
  });
});

describe('memberActions', () => {
  it('offers re-send and revoke for an unconfirmed invitation', () => {
    const a = memberActions(member({ status: 'unconfirmed', licence: 'reserved', accountId: null }), admin);
    expect(a.resend && a.revoke).toBe(true);
    expect(a.removeAccess || a.grantAccess || a.removeFromOrganisation || a.makeOwner).toBe(false);
    expect(a.editRoles).toBe(true);
  });

  it('offers remove access and removal for an active member, and make owner to the owner only', () => {
    expect(memberActions(member(), owner)).toMatchObject({ removeAccess: true, removeFromOrganisation: true, makeOwner: true, grantAccess: false });
    expect(memberActions(member(), admin).makeOwner).toBe(false);
  });

  it('offers access again to a member whose access was removed', () => {
    expect(memberActions(member({ status: 'access_removed', licence: 'none' }), admin)).toMatchObject({ grantAccess: true, removeAccess: false, removeFromOrganisation: true });
  });

  it('keeps the owner and oneself out of reach', () => {
    const theOwner = memberActions(member({}, { owner: true, admin: true }), owner);
    expect(theOwner).toMatchObject({ removeAccess: false, removeFromOrganisation: false, makeOwner: false, editRoles: false });
    expect(theOwner.accessLockedReason).toMatch(/owner/);
    const self = memberActions(member({ id: 'me' }), admin);
    expect(self).toMatchObject({ removeAccess: false, editRoles: false });
    expect(self.rolesLockedReason).toMatch(/your own/);
  });

  it('offers nothing for a removed member', () => {
    const a = memberActions(member({ status: 'removed', licence: 'none' }), owner);
    expect(Object.entries(a).filter(([, v]) => v === true)).toEqual([]);
  });
});

describe('accessLogLabel', () => {
  it('reads changes to the member as what happened to them, and their own acts as what they did', () => {
    expect(accessLogLabel({ action: 'membership.access_removed', outcome: 'success', targetType: 'membership', targetId: 'm-1' }, 'm-1')).toBe('Access removed');
    expect(accessLogLabel({ action: 'membership.access_removed', outcome: 'success', targetType: 'membership', targetId: 'm-2' }, 'm-1')).toBe("Removed a user's access");
    expect(accessLogLabel({ action: 'account.sign_in', outcome: 'success', targetType: 'session', targetId: 's' }, 'm-1')).toBe('Signed in');
  });
});

describe('actorPhrase', () => {
  it('says who acted, or that Motus did it by itself', () => {
    expect(actorPhrase('Dana Demo')).toBe('by Dana Demo');
    expect(actorPhrase(null)).toBe('by Motus');
    expect(actorPhrase('  ')).toBe('by Motus');
  });
});
