import { describe, expect, it } from 'vitest';
import { consoleOrganisations, homeNoticeFor, landingFor, paymentRequiredOrganisations } from './landing.ts';
import type { Workspace, WorkspaceOrganisation } from './types.ts';

const org = (over: Partial<WorkspaceOrganisation> = {}): WorkspaceOrganisation => ({
  id: 'o-1',
  name: 'Riverside Physiotherapy',
  membershipId: 'm-1',
  state: 'active',
  status: 'active',
  owner: false,
  admin: false,
  sections: [],
  practitioner: true,
  contact: { name: 'Dana Demo', email: 'dana@example.com' },
  ...over,
});

const workspace = (organisations: WorkspaceOrganisation[]): Workspace => ({
  organisations,
  invitations: [],
  ownershipOffers: [],
  hasLicence: organisations.some((o) => o.practitioner),
});

describe('landingFor', () => {
  it('sends practitioners home and admins without practitioner access to the console', () => {
    expect(landingFor(workspace([org({ admin: true, owner: true })]))).toEqual({ kind: 'home' });
    expect(landingFor(workspace([org({ id: 'o-2', admin: true, practitioner: false, sections: ['users'] })]))).toEqual({ kind: 'console', organisationId: 'o-2' });
    expect(landingFor(workspace([]))).toEqual({ kind: 'home' });
  });

  it('keeps a person whose access was removed at home, where the notice is', () => {
    const ws = workspace([org({ state: 'access_removed', practitioner: false }), org({ id: 'o-2', admin: true, practitioner: false })]);
    expect(landingFor(ws)).toEqual({ kind: 'home' });
    expect(consoleOrganisations(ws).map((o) => o.id)).toEqual(['o-2']);
  });
});

describe('homeNoticeFor', () => {
  it('is quiet for a practitioner', () => {
    expect(homeNoticeFor(workspace([org()]))).toBeNull();
  });

  it('tells a person without a licence whose access was removed whom to contact', () => {
    const removed = org({ state: 'access_removed', practitioner: false });
    expect(homeNoticeFor(workspace([removed]))).toEqual({ kind: 'access_removed', organisations: [removed] });
  });

  it('asks for a subscription when there is no organisation at all', () => {
    expect(homeNoticeFor(workspace([]))).toEqual({ kind: 'subscription_required' });
  });

  it('explains a membership without practitioner access', () => {
    expect(homeNoticeFor(workspace([org({ practitioner: false })]))?.kind).toBe('no_practitioner_access');
  });
});

describe('paymentRequiredOrganisations', () => {
  it('lists unpaid organisations where the person practises or which they own', () => {
    const practises = org({ id: 'o-1', status: 'payment_required' });
    const owns = org({ id: 'o-2', status: 'payment_required', owner: true, admin: true, practitioner: false });
    const adminOnly = org({ id: 'o-3', status: 'payment_required', admin: true, practitioner: false });
    const paid = org({ id: 'o-4' });
    const removed = org({ id: 'o-5', status: 'payment_required', state: 'access_removed', practitioner: false });
    expect(paymentRequiredOrganisations(workspace([practises, owns, adminOnly, paid, removed])).map((o) => o.id)).toEqual(['o-1', 'o-2']);
  });
});
