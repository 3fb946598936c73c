import type { FastifyInstance, RouteOptions } from 'fastify';

import { ACCESS_KINDS, SUBJECT_PARAMS, type Access, type Contract } from './contract.ts';

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
  /** The route's contract (every API route has one; pages, files and docs do not). */
  contract?: Contract;
}

/** Routes registered so far, for the route walk test and the OpenAPI description. */
export const routeRecords = new WeakMap<FastifyInstance, RouteRecord[]>();

export class MissingAccessDeclarationError extends Error {
  constructor(method: string, url: string) {
    super(`Route ${method} ${url} does not declare who may call it (config.access)`);
  }
}

export class MissingContractError extends Error {
  constructor(name: string) {
    super(`Route ${name} is not registered from a contract: declare its params, query, body and response (platform/http/contract.ts)`);
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
      const name = `${methods.join(',')} ${route.url}`;
      if (access.startsWith('org:') && !route.url.includes(':orgId')) {
        throw new Error(`Route ${name} declares ${access} but has no :orgId parameter`);
      }
      if (route.url.includes(':orgId') && !access.startsWith('org:')) {
        throw new Error(`Route ${name} has an :orgId parameter but declares ${access}, not an organisation requirement (org:…)`);
      }
      const contract = route.config?.contract;
      if (route.url.startsWith('/api/') && !route.schema?.hide && !contract) {
        throw new MissingContractError(name);
      }
      for (const param of route.url.match(/:[A-Za-z]+/g) ?? []) {
        const p = param.slice(1);
        if (SUBJECT_PARAMS[p] && !contract?.subjects?.[p]) {
          throw new Error(`Route ${name} takes :${p} but does not declare the ${SUBJECT_PARAMS[p]} it names (contract.subjects), so the visibility rule cannot be checked for it`);
        }
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
          ...(contract ? { contract } : {}),
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
