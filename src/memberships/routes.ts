import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import { route } from '../platform/http/route.ts';
import { idempotencyKeyOf, sendIdempotent } from '../platform/idempotency.ts';
import { setSessionCookie } from '../sessions/cookie.ts';
import type { SessionService } from '../sessions/service.ts';
import { membershipContracts as c } from './schemas.ts';
import type { MembershipService } from './service.ts';

interface Options {
  config: Config;
  memberships: MembershipService;
  sessions: SessionService;
}

/** Members of an organisation and the invitee's answer (R-PRA-1..6, R-ORG-3, R-ORG-5). */
export const membershipRoutes: FastifyPluginAsyncZod<Options> = async (app, { config, memberships, sessions }) => {
  route(app, c.list, (ctx, { query }) => memberships.list(ctx, query));
  route(app, c.detail, (ctx, { params }) => memberships.detail(ctx, params.memberId));
  route(app, c.invite, async (ctx, { body }, reply) => sendIdempotent(reply, await memberships.invite(ctx, body, idempotencyKeyOf(reply.request))));
  route(app, c.resend, async (ctx, { params }) => ({ member: await memberships.resend(ctx, params.memberId) }));
  route(app, c.revoke, async (ctx, { params }) => ({ member: await memberships.revoke(ctx, params.memberId) }));
  route(app, c.removeAccess, async (ctx, { params }) => ({ member: await memberships.removeAccess(ctx, params.memberId) }));
  route(app, c.grantAccess, async (ctx, { params, body }, reply) =>
    sendIdempotent(reply, await memberships.grantAccess(ctx, params.memberId, body.confirmedChargeMinor, idempotencyKeyOf(reply.request), body.reactivateProgrammes)),
  );
  route(app, c.remove, async (ctx, { params, body }, reply) => sendIdempotent(reply, await memberships.removeFromOrganisation(ctx, params.memberId, body.removeLicence, idempotencyKeyOf(reply.request))));
  route(app, c.setPractitioner, async (ctx, { params, body }, reply) =>
    sendIdempotent(reply, await memberships.setPractitioner(ctx, params.memberId, body.enabled, body.confirmedChargeMinor, idempotencyKeyOf(reply.request))),
  );
  route(app, c.setRoles, async (ctx, { params, body }) => ({ member: await memberships.setRoles(ctx, params.memberId, body) }));

  route(app, c.invitationByToken, async (_ctx, { query }) => ({ invitation: await memberships.invitationByToken(query.token) }));
  route(app, c.acceptByToken, async (ctx, { body }, reply) => {
    const { session, ...r } = await memberships.acceptByToken(ctx, body);
    if (session) setSessionCookie(config, reply, session.token, session.expiresAt);
    return { ...r, ...(session ? { session: sessions.view(session) } : {}) };
  });
  route(app, c.declineByToken, (ctx, { body }) => memberships.declineByToken(ctx, body.token));
  route(app, c.accept, (ctx, { params }) => memberships.acceptById(ctx, params.memberId));
  route(app, c.decline, (ctx, { params }) => memberships.declineById(ctx, params.memberId));
};
