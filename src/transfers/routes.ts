import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { memberParams } from '../memberships/schemas.ts';
import { patientParams } from '../patients/schemas.ts';
import type { TransferService } from './service.ts';

const ids = (what: string) => z.array(z.uuid({ message: `Not ${what} id.` })).max(20_000).default([]);
const transferBody = z.strictObject({ accountId: z.uuid({ message: 'Not an account id.' }) });
const adminTransferBody = z
  .strictObject({ toMemberId: z.uuid({ message: 'Not a member id.' }), patientIds: ids('a patient'), exerciseIds: ids('an exercise'), templateIds: ids('a template') })
  .refine((b) => b.patientIds.length + b.exerciseIds.length + b.templateIds.length > 0, { message: 'Choose at least one patient, exercise or template.', path: ['patientIds'] });

export const transferRoutes: FastifyPluginAsyncZod<{ transfers: TransferService }> = async (app, { transfers }) => {
  const tags = ['transfers'];

  app.post('/api/patients/:patientId/transfer', { config: { access: 'practitioner' }, schema: { tags, summary: 'Transfer a patient, with their programmes, to a colleague (R-TRF-1)', params: patientParams, body: transferBody } }, async (req) =>
    transfers.transferPatient(req.ctx, req.params.patientId, req.body.accountId),
  );

  app.get('/api/organisations/:orgId/members/:memberId/transferable', { config: { access: 'org:users' }, schema: { tags, summary: "A member's patients (name and year of birth only; recorded), exercises and templates, for a transfer", params: memberParams } }, async (req) =>
    transfers.transferable(req.ctx, req.params.memberId),
  );

  app.post('/api/organisations/:orgId/members/:memberId/transfer', { config: { access: 'org:users' }, schema: { tags, summary: "Transfer any selection of a member's patients, exercises and templates to a colleague, all or nothing (R-TRF-1)", params: memberParams, body: adminTransferBody } }, async (req) => {
    const { toMemberId, ...selection } = req.body;
    return transfers.adminTransfer(req.ctx, req.params.memberId, { toMembershipId: toMemberId, ...selection });
  });
};
