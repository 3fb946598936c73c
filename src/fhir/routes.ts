import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { answerErrorsAs } from '../platform/http/errors.ts';
import { route } from '../platform/http/route.ts';
import { operationOutcome } from './outcome.ts';
import { FHIR_JSON } from './resources.ts';
import { fhirContracts as c } from './schemas.ts';
import type { FhirService } from './service.ts';

const CONTENT_TYPE = `${FHIR_JSON}; charset=utf-8`;

/** A FHIR answer: FHIR JSON, never kept by a browser or a proxy (it holds patient data). */
function answer(reply: FastifyReply, resource: unknown): FastifyReply {
  return reply.type(CONTENT_TYPE).header('cache-control', 'no-store').send(JSON.stringify(resource));
}

/** The HL7 FHIR R4 read interface (R-INT-5) at /fhir/R4; its errors are OperationOutcomes. */
export const fhirRoutes: FastifyPluginAsyncZod<{ fhir: FhirService }> = async (app, { fhir }) => {
  // Refusals hold no patient data, but no client or proxy has a reason to keep them either.
  answerErrorsAs({ prefix: '/fhir', contentType: CONTENT_TYPE, headers: { 'cache-control': 'no-store' }, body: operationOutcome });

  route(app, c.metadata, (_ctx, _input, reply) => answer(reply, fhir.metadata()));
  route(app, c.searchPatients, async (ctx, { query }, reply) => answer(reply, await fhir.searchPatients(ctx, query)));
  route(app, c.readPatient, async (ctx, { params }, reply) => answer(reply, await fhir.readPatient(ctx, params.id)));
  route(app, c.searchCarePlans, async (ctx, { query }, reply) => answer(reply, await fhir.searchCarePlans(ctx, query)));
  route(app, c.readCarePlan, async (ctx, { params }, reply) => answer(reply, await fhir.readCarePlan(ctx, params.id)));
  route(app, c.searchObservations, async (ctx, { query }, reply) => answer(reply, await fhir.searchObservations(ctx, query)));
  route(app, c.readObservation, async (ctx, { params }, reply) => answer(reply, await fhir.readObservation(ctx, params.id)));
  route(app, c.searchCommunications, async (ctx, { query }, reply) => answer(reply, await fhir.searchCommunications(ctx, query)));
  route(app, c.readCommunication, async (ctx, { params }, reply) => answer(reply, await fhir.readCommunication(ctx, params.id)));
};
