import { describe, expect, it } from 'vitest';
import { organisationIdOf, paymentRequiredFor, paymentRequiredFrom } from './paymentRequired.ts';
import type { WorkspaceOrganisationView } from '../../../src/organisations/schemas.ts';

const ORG_ID = '0b0e4a52-8c1f-4e55-9a0c-2f1f0f7c6a11';

const org = (over: Partial<WorkspaceOrganisationView> = {}): WorkspaceOrganisationView => ({
  id: ORG_ID,
  name: 'Riverside Physiotherapy',
  membershipId: 'm-1',
  state: 'active',
  status: 'payment_required',
  owner: false,
  admin: false,
  sections: [],
  practitioner: true,
  contact: { name: 'Dana Demo', email: 'dana@example.com' },
  ...over,
});

describe('organisationIdOf', () => {
  it('reads the organisation from the path of an organisation request', () => {
    expect(organisationIdOf(`/api/organisations/${ORG_ID}/practitioner`)).toBe(ORG_ID);
    expect(organisationIdOf(`/api/organisations/${ORG_ID}?x=1`)).toBe(ORG_ID);
    expect(organisationIdOf('/api/me/workspace')).toBeNull();
  });
});

describe('paymentRequiredFrom', () => {
  const error = {
    message: 'Riverside Physiotherapy has an unpaid invoice.',
    details: { rule: 'R-LIC-7', contact: { name: 'Dana Demo', email: 'dana@example.com' } },
  };

  it('names the organisation from the workspace and the owner from the answer', () => {
    const notice = paymentRequiredFrom(error, `/api/organisations/${ORG_ID}/practitioner`, '/', [org()]);
    expect(notice).toEqual({
      organisationId: ORG_ID,
      organisation: 'Riverside Physiotherapy',
      contact: { name: 'Dana Demo', email: 'dana@example.com' },
      owner: false,
      message: error.message,
      path: '/',
    });
  });

  it('prefers the organisation the answer names, and knows when the reader is its owner', () => {
    const named = paymentRequiredFrom({ ...error, details: { ...error.details, organisation: 'Named Here' } }, `/api/organisations/${ORG_ID}/x`, '/p', [org({ owner: true })]);
    expect(named.organisation).toBe('Named Here');
    expect(named.owner).toBe(true);
  });

  it('falls back to the message when nothing names the organisation', () => {
    const notice = paymentRequiredFrom({ message: 'Unpaid.', details: undefined }, '/api/patients', '/patients');
    expect(notice).toMatchObject({ organisationId: null, organisation: null, contact: null, owner: false, message: 'Unpaid.' });
  });
});

describe('paymentRequiredFor', () => {
  it('builds the home notice from a workspace organisation', () => {
    expect(paymentRequiredFor(org({ owner: true }), '/')).toMatchObject({ organisation: 'Riverside Physiotherapy', owner: true, contact: { name: 'Dana Demo' } });
  });
});
