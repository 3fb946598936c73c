import type { FastifyInstance, FastifyReply, FastifySchema } from 'fastify';
import { z, type ZodType } from 'zod';
import { auditWatch } from '../../audit/record.ts';
import type { Access, ApiKeyAccess, Contract, ContractInput, ContractOutput, OrgAccess } from './contract.ts';
import { isRawResponse } from './contract.ts';
import type { ApiKeyContext, OrgApiKeyContext, OrgRequestContext, PatientDeviceContext, PublicContext, RequestContext, SignedInContext } from './context.ts';

/**
 * The context a handler receives, by the route's access declaration: what the access hook has
 * checked is present in the type, so services need no runtime "is there an actor?" checks.
 */
export type ContextFor<A extends Access> = A extends 'public'
  ? PublicContext
  : A extends 'optionalSession'
    ? RequestContext
    : A extends 'subscriber' | OrgAccess
      ? OrgRequestContext
      : A extends 'signedIn' | 'endedSession' | 'operator' | 'practitioner'
        ? SignedInContext
        : A extends 'patientDevice'
          ? PatientDeviceContext
          : A extends 'apiKey:console.read'
            ? OrgApiKeyContext
            : A extends ApiKeyAccess
              ? ApiKeyContext
              : never;

export type Handler<C extends Contract> = (
  ctx: ContextFor<C['access']>,
  input: ContractInput<C>,
  reply: FastifyReply,
) => Promise<ContractOutput<C> | FastifyReply> | ContractOutput<C> | FastifyReply;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's contract; every API route is registered from one (see `route`). */
    contract?: Contract;
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The response part of the route schema, as Fastify and the OpenAPI description read it. */
function responseSchema(contract: Contract): Record<number, unknown> {
  const status = contract.status ?? 200;
  const { response } = contract;
  // A type-null schema is how the OpenAPI description says "no body".
  if (response === null) return { [status]: z.null().describe('No content') };
  if (isRawResponse(response)) return { [status]: { description: response.description, content: { [response.raw]: { schema: z.string() } } } };
  return { [status]: response };
}

/**
 * Registers a route from its contract. The handler gets the context its access kind guarantees and
 * the validated input; what it returns is sent with the contract's status through the response
 * schema (the serializer drops anything the contract does not name). A handler that answers in its
 * own way (a file, a page) returns the reply.
 *
 * A write must leave an audit record carrying its request id (R-AUD-1) unless its contract says
 * why it records none; under test a write that forgets fails loudly, elsewhere it is logged.
 */
export function route<const C extends Contract>(app: FastifyInstance, contract: C, handler: Handler<C>): void {
  const status = contract.status ?? 200;
  const schema: FastifySchema & Record<string, unknown> = {
    tags: [...contract.tags],
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    ...(contract.operationId ? { operationId: contract.operationId } : {}),
    ...(contract.params ? { params: contract.params } : {}),
    ...(contract.query ? { querystring: contract.query } : {}),
    ...(contract.body && contract.body !== 'multipart' ? { body: withExample(contract.body, contract.example) } : {}),
    ...(contract.body === 'multipart' ? { consumes: ['multipart/form-data'] } : {}),
    response: responseSchema(contract),
    ...securityOf(contract.access),
  };
  const audited = WRITES.has(contract.method) && contract.unaudited === undefined;
  app.route({
    method: contract.method,
    url: contract.path,
    config: { access: contract.access, contract },
    schema,
    handler: async (request, reply) => {
      const input = { params: request.params, query: request.query, body: request.body } as ContractInput<C>;
      const ctx = request.ctx as ContextFor<C['access']>;
      if (!audited) return finish(reply, status, await handler(ctx, input, reply));
      auditWatch.begin(request.id);
      try {
        const result = await handler(ctx, input, reply);
        const key = `${contract.method} ${contract.path}`;
        const replayed = reply.getHeader('idempotent-replayed') === 'true';
        const recorded = replayed || auditWatch.count(request.id) > 0;
        // A handler that answered a refusal itself (a stored 4xx replay) changed nothing.
        if (reply.statusCode >= 400) return finish(reply, status, result);
        auditWatch.wrote(key, recorded);
        if (!recorded) {
          request.log.error({ route: key }, 'a write left no audit record');
          // Tests fail loudly; a running installation logs (the change has committed by now).
          if (process.env.NODE_ENV === 'test') {
            throw new Error(`${key} changed data without an audit record (R-AUD-1); record one or declare why not (unaudited)`);
          }
        }
        return finish(reply, status, result);
      } finally {
        auditWatch.end(request.id);
      }
    },
  });
}

/** How the OpenAPI description says a route is called: which of the schemes in app.ts it takes. */
function securityOf(access: Access): { security?: Array<Record<string, string[]>> } {
  if (access === 'public') return { security: [] };
  if (access === 'optionalSession') return { security: [{}, { session: [] }] };
  if (access === 'patientDevice') return { security: [{ patientDevice: [] }] };
  if (access.startsWith('apiKey:')) return { security: [{ apiKey: [access.slice('apiKey:'.length)] }] };
  return { security: [{ session: [] }] };
}

function finish(reply: FastifyReply, status: number, result: unknown) {
  if (result === reply || reply.sent) return reply;
  if (status === 204) return reply.status(204).send();
  // An answer already given a status (an idempotent replay keeps its first one) keeps it.
  return reply.status(reply.statusCode !== 200 ? reply.statusCode : status).send(result);
}

function withExample(schema: ZodType, example: unknown): ZodType {
  return example === undefined ? schema : schema.meta({ examples: [example] });
}
