import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import { orgParams } from '../organisations/schemas.ts';
import { sendIdempotent } from '../platform/idempotency.ts';
import { setSessionCookie } from '../sessions/cookie.ts';
import type { SessionService } from '../sessions/service.ts';
import {
  acceptByTokenBody,
  declineByTokenBody,
  grantAccessBody,
  idempotencyHeaders,
  invitationParams,
  inviteBody,
  memberParams,
  membersQuery,
  practitionerBody,
  removeMemberBody,
  rolesBody,
  tokenQuery,
} from './schemas.ts';
import type { MembershipService } from './service.ts';

interface Options {
  config: Config;
  memberships: MembershipService;
  sessions: SessionService;
}

export const membershipRoutes: FastifyPluginAsyncZod<Options> = async (app, { config, memberships, sessions }) => {
  const tags = ['members'];
  const invitations = ['invitations'];

  app.get('/api/organisations/:orgId/members', { config: { access: 'org:users' }, schema: { tags, summary: 'The Users page: members with status, licence and roles', params: orgParams, querystring: membersQuery } }, async (req) =>
    memberships.list(req.ctx, req.query),
  );

  app.get('/api/organisations/:orgId/members/:memberId', { config: { access: 'org:users' }, schema: { tags, summary: 'One member with their access log (R-ORG-5)', params: memberParams } }, async (req) =>
    memberships.detail(req.ctx, req.params.memberId),
  );

  app.post(
    '/api/organisations/:orgId/invitations',
    { config: { access: 'org:users' }, schema: { tags, summary: 'Invite a practitioner or admin; buys a licence when none is free (R-PRA-1, R-LIC-2)', params: orgParams, body: inviteBody, headers: idempotencyHeaders } },
    async (req, reply) => {
      const r = await memberships.invite(req.ctx, req.body, req.headers['idempotency-key']);
      return sendIdempotent(reply, r);
    },
  );

  app.post('/api/organisations/:orgId/invitations/:memberId/resend', { config: { access: 'org:users' }, schema: { tags, summary: 'Re-send an invitation; the earlier link stops working (R-PRA-2)', params: memberParams } }, async (req) => ({
    member: await memberships.resend(req.ctx, req.params.memberId),
  }));

  app.post('/api/organisations/:orgId/invitations/:memberId/revoke', { config: { access: 'org:users' }, schema: { tags, summary: 'Revoke an invitation; frees its licence (R-PRA-2)', params: memberParams } }, async (req) => ({
    member: await memberships.revoke(req.ctx, req.params.memberId),
  }));

  app.post('/api/organisations/:orgId/members/:memberId/remove-access', { config: { access: 'org:users' }, schema: { tags, summary: 'Remove practitioner access; frees the licence (R-PRA-3)', params: memberParams } }, async (req) => ({
    member: await memberships.removeAccess(req.ctx, req.params.memberId),
  }));

  app.post(
    '/api/organisations/:orgId/members/:memberId/grant-access',
    { config: { access: 'org:users' }, schema: { tags, summary: 'Grant access again; buys a licence when none is free (R-PRA-5)', params: memberParams, body: grantAccessBody, headers: idempotencyHeaders } },
    async (req, reply) => {
      const r = await memberships.grantAccess(req.ctx, req.params.memberId, req.body.confirmedChargeMinor, req.headers['idempotency-key'], req.body.reactivateProgrammes);
      return sendIdempotent(reply, r);
    },
  );

  app.post(
    '/api/organisations/:orgId/members/:memberId/remove',
    { config: { access: 'org:users' }, schema: { tags, summary: 'Remove from the organisation; the account is kept (R-PRA-6)', params: memberParams, body: removeMemberBody, headers: idempotencyHeaders } },
    async (req, reply) => {
      const r = await memberships.removeFromOrganisation(req.ctx, req.params.memberId, req.body.removeLicence, req.headers['idempotency-key']);
      return sendIdempotent(reply, r);
    },
  );

  app.post(
    '/api/organisations/:orgId/members/:memberId/practitioner',
    { config: { access: 'org:users' }, schema: { tags, summary: 'Give or take practitioner access (a licence); the owner may give it to themselves', params: memberParams, body: practitionerBody, headers: idempotencyHeaders } },
    async (req, reply) => {
      const r = await memberships.setPractitioner(req.ctx, req.params.memberId, req.body.enabled, req.body.confirmedChargeMinor, req.headers['idempotency-key']);
      return sendIdempotent(reply, r);
    },
  );

  app.put('/api/organisations/:orgId/members/:memberId/roles', { config: { access: 'org:users' }, schema: { tags, summary: 'Admin rights and console sections (R-ORG-3)', params: memberParams, body: rolesBody } }, async (req) => ({
    member: await memberships.setRoles(req.ctx, req.params.memberId, req.body),
  }));

  app.get('/api/invitations/by-token', { config: { access: 'public' }, schema: { tags: invitations, summary: 'The invitation behind an emailed link', querystring: tokenQuery } }, async (req) => ({
    invitation: await memberships.invitationByToken(req.query.token),
  }));

  app.post('/api/invitations/accept', { config: { access: 'optionalSession' }, schema: { tags: invitations, summary: 'Accept from the emailed link; a new person sets a password here', body: acceptByTokenBody } }, async (req, reply) => {
    const r = await memberships.acceptByToken(req.ctx, req.body);
    if (r.session) setSessionCookie(config, reply, r.session.token, r.session.expiresAt);
    return { member: r.member, organisationId: r.organisationId, ...(r.session ? { session: sessions.view(r.session) } : {}) };
  });

  app.post('/api/invitations/decline', { config: { access: 'public' }, schema: { tags: invitations, summary: 'Decline from the emailed link', body: declineByTokenBody } }, async (req, reply) => {
    await memberships.decline(req.ctx, { token: req.body.token });
    return reply.status(204).send();
  });

  app.post('/api/invitations/:memberId/accept', { config: { access: 'signedIn' }, schema: { tags: invitations, summary: 'Accept an invitation addressed to you', params: invitationParams } }, async (req) =>
    memberships.acceptById(req.ctx, req.params.memberId),
  );

  app.post('/api/invitations/:memberId/decline', { config: { access: 'signedIn' }, schema: { tags: invitations, summary: 'Decline an invitation addressed to you', params: invitationParams } }, async (req, reply) => {
    await memberships.decline(req.ctx, { membershipId: req.params.memberId });
    return reply.status(204).send();
  });
};
