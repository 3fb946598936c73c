import { expect } from 'vitest';
import type { TestApp } from './app.ts';
import type { Client } from './client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './factories.ts';

/**
 * The people of the visibility rule (R-PAT-2, R-SHR-1..3) around one patient:
 * - owner: treats the patient (and owns a custom exercise and a programme of theirs);
 * - sharee: the patient is shared with them (R-SHR-3);
 * - group: a fellow member of a share group that shares patients (R-SHR-1);
 * - colleague: a practitioner of the same organisation, nothing shared;
 * - admin: an admin of the organisation with console sections but no practitioner access;
 * - stranger: a practitioner with a trial of their own, in no common practice.
 */
export type Who = 'owner' | 'sharee' | 'group' | 'colleague' | 'admin' | 'stranger';

export interface ClinicalWorld {
  people: Record<Who, { client: Client; accountId: string }>;
  orgId: string;
  orgOwner: Client;
  patientId: string;
  programmeId: string;
  exerciseId: string;
  stockId: string;
  shareId: string;
  templateId: string;
}

export async function clinicalWorld(t: TestApp): Promise<ClinicalWorld> {
  const org = await organisationWithOwner(t, { card: true });
  const orgId = org.orgId;
  const owner = await joinedMember(t, org.owner.client, orgId, { name: 'Olga Owner', buyLicence: true });
  const sharee = await joinedMember(t, org.owner.client, orgId, { name: 'Sam Sharee', buyLicence: true });
  const group = await joinedMember(t, org.owner.client, orgId, { name: 'Gina Group', buyLicence: true });
  const colleague = await joinedMember(t, org.owner.client, orgId, { name: 'Carl Colleague', buyLicence: true });
  const admin = await joinedMember(t, org.owner.client, orgId, { name: 'Ada Admin', practitioner: false, sections: ['users', 'sharing'] });
  const stranger = await verifiedClient(t, 'Stan Stranger');
  await stranger.client.post('/api/me/subscription/trial');
  const people = { owner, sharee, group, colleague, admin, stranger };

  const p = await owner.client.post('/api/patients', { firstName: 'Mara', lastName: 'Matrix', yearOfBirth: 1950, email: 'mara@example.org' });
  const patientId = p.json().patient.id as string;
  const ex = await owner.client.post('/api/exercises', { name: 'Olga’s towel squeeze', bodyRegion: 'knee', description: 'Squeeze a rolled towel.' });
  const exerciseId = ex.json().exercise.id as string;
  const stockId = (await owner.client.get('/api/exercises?source=stock&limit=1')).json().exercises[0].id as string;
  const prog = await owner.client.post(`/api/patients/${patientId}/programmes`, { title: 'Matrix programme', startDate: '2026-01-01', items: [{ exerciseId, sets: 2, reps: 8 }, { exerciseId: stockId, sets: 1, reps: 5 }] });
  const programmeId = prog.json().programme.id as string;
  const template = await owner.client.post('/api/templates', { title: 'Olga’s knee template', items: [{ exerciseId: stockId, sets: 2, reps: 10 }] });
  expect(template.statusCode, template.body).toBe(201);
  const templateId = template.json().template.id as string;
  const shared = await owner.client.post(`/api/patients/${patientId}/shares`, { accountId: sharee.accountId });
  expect(shared.statusCode).toBe(201);
  const shareId = shared.json().share.id as string;
  // The share group holds the owner and Gina, sharing patients but not content.
  const members = (await org.owner.client.get(`/api/organisations/${orgId}/members`)).json().members as Array<{ id: string; accountId: string }>;
  const memberOf = (accountId: string) => members.find((m) => m.accountId === accountId)!.id;
  const set = await org.owner.client.put(`/api/organisations/${orgId}/sharing`, { sharePatients: true, shareContent: false, groupMemberIds: [memberOf(owner.accountId), memberOf(group.accountId)], contentAccountMemberId: null, contentRecipientIds: [] });
  expect(set.statusCode, set.body).toBe(200);
  return { people, orgId, orgOwner: org.owner.client, patientId, programmeId, exerciseId, stockId, shareId, templateId };
}
