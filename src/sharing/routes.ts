import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { orgParams } from '../organisations/schemas.ts';
import { patientParams } from '../patients/schemas.ts';
import type { SharingService } from './service.ts';

const shareBody = z.strictObject({ accountId: z.uuid({ message: 'Not an account id.' }) });
const shareParams = z.strictObject({ patientId: z.uuid({ message: 'Not a patient id.' }), shareId: z.uuid({ message: 'Not a share id.' }) });
const memberIds = z.array(z.uuid({ message: 'Not a member id.' })).max(5000);
const sharingBody = z.strictObject({
  sharePatients: z.boolean(),
  shareContent: z.boolean(),
  groupMemberIds: memberIds,
  contentAccountMemberId: z.uuid({ message: 'Not a member id.' }).nullable(),
  contentRecipientIds: memberIds,
});

export const sharingRoutes: FastifyPluginAsyncZod<{ sharing: SharingService }> = async (app, { sharing }) => {
  const tags = ['sharing'];

  app.get('/api/colleagues', { config: { access: 'practitioner' }, schema: { tags, summary: 'Colleagues you can share patients with or transfer them to' } }, async (req) => sharing.colleagues(req.ctx));

  app.get('/api/patients/:patientId/shares', { config: { access: 'practitioner' }, schema: { tags, summary: "Colleagues a patient is shared with (R-SHR-3)", params: patientParams } }, async (req) =>
    sharing.sharesOf(req.ctx, req.params.patientId),
  );

  app.post('/api/patients/:patientId/shares', { config: { access: 'practitioner' }, schema: { tags, summary: 'Share a patient with a colleague (R-SHR-3); received patients are not shared further', params: patientParams, body: shareBody } }, async (req, reply) =>
    reply.status(201).send(await sharing.sharePatient(req.ctx, req.params.patientId, req.body.accountId)),
  );

  app.delete('/api/patients/:patientId/shares/:shareId', { config: { access: 'practitioner' }, schema: { tags, summary: 'End a share (R-SHR-3)', params: shareParams } }, async (req, reply) => {
    await sharing.endShare(req.ctx, req.params.patientId, req.params.shareId);
    return reply.status(204).send();
  });

  app.get('/api/organisations/:orgId/sharing', { config: { access: 'org:sharing' }, schema: { tags, summary: 'The share group and the content account (R-SHR-1, R-SHR-2)', params: orgParams } }, async (req) => sharing.settings(req.ctx));

  app.put('/api/organisations/:orgId/sharing', { config: { access: 'org:sharing' }, schema: { tags, summary: 'Set the share group and the content account (R-SHR-1, R-SHR-2)', params: orgParams, body: sharingBody } }, async (req) =>
    sharing.updateSettings(req.ctx, req.body),
  );
};
