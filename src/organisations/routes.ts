import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MembershipService } from '../memberships/service.ts';
import { requireActor } from '../platform/http/context.ts';
import { createOrganisationBody, defaultsBody, orgParams, ownershipOfferBody, transferParams, updateOrganisationBody } from './schemas.ts';
import type { OrganisationService } from './service.ts';

export const organisationRoutes: FastifyPluginAsyncZod<{ organisations: OrganisationService; memberships: MembershipService }> = async (app, { organisations, memberships }) => {
  const tags = ['organisations'];

  app.post('/api/organisations', { config: { access: 'signedIn' }, schema: { tags, summary: 'Create an organisation; you become its owner (R-ORG-1)', body: createOrganisationBody } }, async (req, reply) =>
    reply.status(201).send({ organisation: await organisations.create(req.ctx, req.body) }),
  );

  app.get('/api/me/workspace', { config: { access: 'signedIn' }, schema: { tags, summary: 'Your organisations, open invitations and ownership offers (shown at sign-in)' } }, async (req) => {
    const actor = requireActor(req.ctx);
    const [workspace, invitations] = await Promise.all([organisations.workspaceFor(actor.accountId), memberships.invitationsFor(actor)]);
    return { ...workspace, invitations };
  });

  app.get('/api/organisations/:orgId', { config: { access: 'org:member' }, schema: { tags, summary: 'The organisation and your rights in it', params: orgParams } }, async (req) => organisations.get(req.ctx));

  app.get('/api/organisations/:orgId/practitioner', { config: { access: 'org:practitioner' }, schema: { tags, summary: 'Your practitioner workspace here (refused while access is removed or payment is required)', params: orgParams } }, async (req) =>
    organisations.get(req.ctx),
  );

  app.patch('/api/organisations/:orgId', { config: { access: 'org:owner' }, schema: { tags, summary: 'Name and billing settings (owner)', params: orgParams, body: updateOrganisationBody } }, async (req) => ({
    organisation: await organisations.updateSettings(req.ctx, req.body),
  }));

  app.put('/api/organisations/:orgId/defaults', { config: { access: 'org:defaults' }, schema: { tags, summary: 'Practice defaults, applied to every practitioner (R-ORG-4)', params: orgParams, body: defaultsBody } }, async (req) => ({
    organisation: await organisations.setDefaults(req.ctx, req.body),
  }));

  app.post('/api/organisations/:orgId/ownership-transfers', { config: { access: 'org:owner' }, schema: { tags, summary: 'Offer ownership to a member (R-ORG-2)', params: orgParams, body: ownershipOfferBody } }, async (req, reply) =>
    reply.status(201).send(await organisations.offerOwnership(req.ctx, req.body.membershipId)),
  );

  app.post('/api/ownership-transfers/:transferId/accept', { config: { access: 'signedIn' }, schema: { tags, summary: 'Accept ownership of an organisation', params: transferParams } }, async (req) => ({
    organisation: await organisations.decideOwnership(req.ctx, req.params.transferId, true),
  }));

  app.post('/api/ownership-transfers/:transferId/decline', { config: { access: 'signedIn' }, schema: { tags, summary: 'Decline ownership of an organisation', params: transferParams } }, async (req, reply) => {
    await organisations.decideOwnership(req.ctx, req.params.transferId, false);
    return reply.status(204).send();
  });
};
