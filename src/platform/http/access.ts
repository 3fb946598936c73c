import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Who may call a route. Every route declares one; registering a route without a declaration stops
 * start-up (see enforceAccessDeclarations).
 * - public: anybody, signed in or not (the session is not looked at).
 * - optionalSession: anybody; a live session (with its CSRF token on writes) makes them the actor.
 * - signedIn: a live session.
 * - endedSession: a session cookie, live or ended by a newer sign-in ("this wasn't me").
 * - operator: a live session of an operator account.
 * - subscriber: a live session of someone with an individual subscription of their own (section 7);
 *   the subscription becomes the request's organisation context.
 * - practitioner: a live session of someone whose licence lets them work now (an organisation or a
 *   subscription; R-PRA-4, R-SUB-1, R-LIC-7). Patients, exercises and programmes need it.
 */
export type Access = 'public' | 'optionalSession' | 'signedIn' | 'endedSession' | 'operator' | 'subscriber' | 'practitioner' | OrgAccess;

/**
 * Organisation routes carry `:orgId` and need an active membership there: any member, practitioner
 * access, the owner, or one console section (R-ORG-3).
 */
export type OrgAccess = `org:${'member' | 'practitioner' | 'owner' | 'users' | 'sharing' | 'defaults' | 'security' | 'import' | 'audit'}`;

export const ACCESS_KINDS: readonly Access[] = [
  'public',
  'optionalSession',
  'signedIn',
  'endedSession',
  'operator',
  'subscriber',
  'practitioner',
  'org:member',
  'org:practitioner',
  'org:owner',
  'org:users',
  'org:sharing',
  'org:defaults',
  'org:security',
  'org:import',
  'org:audit',
];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface RouteRecord {
  method: string;
  url: string;
  access: Access;
  hasBody: boolean;
  hasQuery: boolean;
  hasParams: boolean;
}

/** Routes registered so far, for the route walk test and the OpenAPI description. */
export const routeRecords = new WeakMap<FastifyInstance, RouteRecord[]>();

export class MissingAccessDeclarationError extends Error {
  constructor(method: string, url: string) {
    super(`Route ${method} ${url} does not declare who may call it (config.access)`);
  }
}

export function enforceAccessDeclarations(app: FastifyInstance): void {
  const records: RouteRecord[] = [];
  const seen: RouteOptions[] = [];
  routeRecords.set(app, records);
  // Collected as routes are added and checked once everything is registered, so that a scope may
  // declare its plugins' routes (declarePublicScope) after the root hook has seen them.
  app.addHook('onRoute', (route) => {
    seen.push(route);
  });
  app.addHook('onReady', async () => {
    for (const route of seen) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const access = route.config?.access;
      if (!access || !ACCESS_KINDS.includes(access)) throw new MissingAccessDeclarationError(methods.join(','), route.url);
      if (access.startsWith('org:') && !route.url.includes(':orgId')) {
        throw new Error(`Route ${methods.join(',')} ${route.url} declares ${access} but has no :orgId parameter`);
      }
      for (const method of methods) {
        if (method === 'HEAD') continue;
        records.push({
          method,
          url: route.url,
          access,
          hasBody: Boolean(route.schema?.body),
          hasQuery: Boolean(route.schema?.querystring),
          hasParams: Boolean(route.schema?.params),
        });
      }
    }
  });
}

/** For plugins that register their own routes (static files, API docs): declares them all public. */
export function declarePublicScope(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), access: route.config?.access ?? 'public' };
  });
}
