import { describe, expect, it } from 'vitest';
import { consoleOrganisations, homeNoticeFor, landingFor, paymentRequiredOrganisations } from './landing.ts';
import type { LicenceSourceView, LicenceStandingView, WorkspaceOrganisationView, WorkspaceView } from '../../../src/organisations/schemas.ts';

const org = (over: Partial<WorkspaceOrganisationView> = {}): WorkspaceOrganisationView => ({
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

const source = (over: Partial<LicenceSourceView> = {}): LicenceSourceView => ({
  kind: 'subscription',
  organisationId: 's-1',
  name: "Sam Rivers's subscription",
  own: true,
  managedBy: { name: 'Sam Rivers', email: 'sam@example.com' },
  blocked: null,
  subscription: { state: 'trial', trialEndsAt: '2026-12-01T10:00:00.000Z', endsOn: null, lastDay: null, endReason: null },
  ...over,
});

/** A workspace as the server answers it: the standing follows the organisations unless given. */
const workspace = (organisations: WorkspaceOrganisationView[], licence?: Partial<LicenceStandingView>): WorkspaceView => {
  const canWork = licence?.canWork ?? organisations.some((o) => o.practitioner);
  return {
    organisations,
    invitations: [],
    ownershipOffers: [],
    hasLicence: canWork,
    licence: { canWork, sources: [], notice: null, ...licence },
  };
};

const required = (message: string, over: Partial<NonNullable<LicenceStandingView['notice']>> = {}): LicenceStandingView['notice'] => ({
  code: 'subscription_required',
  message,
  contact: null,
  ownSubscription: false,
  ...over,
});

describe('landingFor', () => {
  it('sends practitioners home and admins without practitioner access to the console', () => {
    expect(landingFor(workspace([org({ admin: true, owner: true })]))).toEqual({ kind: 'home' });
    expect(landingFor(workspace([org({ id: 'o-2', admin: true, practitioner: false, sections: ['users'] })]))).toEqual({ kind: 'console', organisationId: 'o-2' });
    expect(landingFor(workspace([]))).toEqual({ kind: 'home' });
  });

  it('keeps an admin with an individual subscription at home', () => {
    const admin = org({ admin: true, practitioner: false, sections: ['users'] });
    expect(landingFor(workspace([admin], { canWork: true, sources: [source()] }))).toEqual({ kind: 'home' });
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
    const ws = workspace([], { notice: required('You have no licence to use Motus yet.') });
    expect(homeNoticeFor(ws)).toEqual({ kind: 'subscription_required', message: 'You have no licence to use Motus yet.', contact: null, own: null });
  });

  it('offers to restart the own subscription once it ended', () => {
    const ended = source({ blocked: 'subscription_ended', subscription: { state: 'ended', trialEndsAt: null, endsOn: '2026-12-01', lastDay: '2026-11-30', endReason: 'cancelled' } });
    const ws = workspace([], { sources: [ended], notice: required('Your subscription has ended.', { ownSubscription: true }) });
    expect(homeNoticeFor(ws)).toMatchObject({ kind: 'subscription_required', own: ended });
  });

  it("names the colleague whose subscription ended, even for a member of an organisation", () => {
    const colleague = source({ own: false, blocked: 'subscription_ended' });
    const contact = { name: 'Sam Rivers', email: 'sam@example.com' };
    const ws = workspace([org({ practitioner: false })], { sources: [colleague], notice: required("Sam Rivers's subscription has ended.", { contact }) });
    expect(homeNoticeFor(ws)).toEqual({ kind: 'subscription_required', message: "Sam Rivers's subscription has ended.", contact, own: null });
  });

  it('is quiet while a subscription gives a licence', () => {
    expect(homeNoticeFor(workspace([], { canWork: true, sources: [source()] }))).toBeNull();
  });

  it("tells of an individual subscription's unpaid invoice; an organisation's has its own notice", () => {
    const unpaid = source({ blocked: 'payment_required', subscription: { state: 'paid', trialEndsAt: null, endsOn: null, lastDay: null, endReason: null } });
    const notice = { code: 'payment_required' as const, message: 'Your subscription has an unpaid invoice.', contact: null, ownSubscription: true };
    expect(homeNoticeFor(workspace([], { sources: [unpaid], notice }))).toEqual({ kind: 'subscription_payment_required', source: unpaid, message: notice.message });
    const orgUnpaid = org({ status: 'payment_required' });
    const orgNotice = { ...notice, ownSubscription: false };
    expect(homeNoticeFor(workspace([orgUnpaid], { canWork: false, sources: [source({ kind: 'organisation', own: false, blocked: 'payment_required' })], notice: orgNotice }))).toBeNull();
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
