import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { OrgContext } from '../../organisations/access.ts';
import type { Actor, ApiKeyCaller, PatientDevice, RequestContext } from './context.ts';
import { isApiKeyAccess, type ApiScope } from './contract.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

export type OrgResolver = (actor: Actor, organisationId: string, need: string) => Promise<OrgContext>;

export interface SessionResolver {
  /** `replacedOnly`: only a session that a newer sign-in replaced (R-SES-3); a live one is refused with 409. */
  resolve(token: string | undefined, ctx: RequestContext, opts?: { replacedOnly?: boolean }): Promise<Actor>;
  readToken(request: FastifyRequest): string | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One hook for the whole app: builds the request context, then enforces the route's access
 * declaration and CSRF protection before anything is parsed or run. Roles and sessions are read
 * from the database on every request, so a removed right stops working at once (R-SES-6).
 */
export interface AccessResolvers {
  organisation: OrgResolver;
  /** The caller's own individual subscription as the organisation context. */
  subscription: (actor: Actor) => Promise<OrgContext>;
  /** Refuses (402/403, with the notice) a caller whose licence does not let them work now. */
  practitioner: (actor: Actor) => Promise<void>;
  /** The device a patient's token names (R-PRG-2), or 401 when it is unknown or signed out. */
  patientDevice: (token: string | undefined, ctx: RequestContext) => Promise<PatientDevice>;
  /**
   * The caller an API key names, refused (401/402/403/429) when it is unknown, revoked, expired, over
   * its rate, lacks the scope or its owner may not work now (R-INT-3). `onCaller` hears the caller
   * as soon as the key is known, so that a refusal after that is recorded against the key.
   */
  apiKey: (token: string | undefined, ctx: RequestContext, scope: ApiScope, onCaller: (caller: { actor: Actor; apiKey: ApiKeyCaller }) => void) => Promise<{ actor: Actor; apiKey: ApiKeyCaller; org?: OrgContext }>;
}

/** The token of `Authorization: Bearer …`, if the request sends one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header.trim());
  return match?.[1];
}

export function installAuth(app: FastifyInstance, config: Config, sessions: SessionResolver, resolvers: AccessResolvers): void {
  const allowedOrigin = new URL(config.publicUrl).origin;

  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.addHook('onRequest', async (request) => {
    request.ctx = {
      requestId: request.id,
      ip: request.ip ?? null,
      userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
      actor: null,
    };
    const access = request.routeOptions.config?.access;
    if (!access) return; // unknown route: the not-found handler answers

    const unsafe = !SAFE_METHODS.has(request.method);
    if (unsafe) checkSameOrigin(request, allowedOrigin);
    if (access === 'public') return;
    if (access === 'patientDevice') {
      // A bearer token is no ambient credential: a page on another site cannot make the browser send it.
      request.ctx.device = await resolvers.patientDevice(bearerToken(request), request.ctx);
      return;
    }

    if (isApiKeyAccess(access)) {
      const resolved = await resolvers.apiKey(bearerToken(request), request.ctx, access.slice('apiKey:'.length) as ApiScope, (caller) => {
        request.ctx.actor = caller.actor;
        request.ctx.apiKey = caller.apiKey;
      });
      if (resolved.org) request.ctx.org = resolved.org;
      return;
    }

    const token = sessions.readToken(request);
    if (access === 'optionalSession') {
      if (!token) return;
      try {
        const actor = await sessions.resolve(token, request.ctx);
        if (!unsafe || request.headers['x-csrf-token'] === actor.csrfToken) request.ctx.actor = actor;
      } catch (err) {
        if (!(err instanceof UnauthenticatedError)) throw err;
      }
      return;
    }
    const actor = await sessions.resolve(token, request.ctx, { replacedOnly: access === 'endedSession' });
    request.ctx.actor = actor;
    // An ended session still has its token: the page it was shown on keeps it, and nobody else has it.
    if (unsafe && request.headers['x-csrf-token'] !== actor.csrfToken) {
      throw access === 'endedSession'
        ? new ForbiddenError('csrf_failed', 'This report must be sent from the page that was signed out. Sign in again and change your password instead.')
        : new ForbiddenError('csrf_failed', 'This request is missing its security token. Reload the page and try again.');
    }
    if (access === 'operator' && !actor.isOperator) {
      throw new ForbiddenError('operator_only', 'Only operators can do this.');
    }
    if (access === 'subscriber') request.ctx.org = await resolvers.subscription(actor);
    if (access === 'practitioner') await resolvers.practitioner(actor);
    if (access.startsWith('org:')) {
      const orgId = (request.params as { orgId?: string }).orgId ?? '';
      request.ctx.org = await resolvers.organisation(actor, orgId, access.slice(4));
    }
  });
}

/**
 * A write refused because the browser says another site's page sent it. It is answered before any
 * session is looked at, so it has no caller; it is recorded all the same (R-AUD-1), with the origin
 * the browser named, at most once a minute per address and route (RefusalSampler).
 */
export class CrossSiteRequestError extends ForbiddenError {
  /** The Origin header (cut to 200 characters), or what Sec-Fetch-Site said when there was none. */
  readonly origin: string;
  constructor(origin: string) {
    super('csrf_failed', 'Requests from other sites are not accepted.');
    this.origin = origin.slice(0, 200);
  }
}

/** Refuses writes that a browser marks as coming from another site. */
function checkSameOrigin(request: FastifyRequest, allowedOrigin: string): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (site === 'cross-site') throw new CrossSiteRequestError(origin ?? 'sec-fetch-site: cross-site');
  if (origin && origin !== 'null' && origin !== allowedOrigin) {
    const host = request.headers.host;
    let sameHost: boolean;
    try {
      sameHost = host !== undefined && new URL(origin).host === host;
    } catch {
      sameHost = false;
    }
    if (!sameHost) throw new CrossSiteRequestError(origin);
  }
  if (origin === 'null') throw new CrossSiteRequestError(origin);
}
