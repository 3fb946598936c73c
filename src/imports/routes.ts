import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ImportService } from './service.ts';

const orgParams = z.strictObject({ orgId: z.string().max(64) });
const importParams = z.strictObject({ orgId: z.string().max(64), importId: z.uuid({ message: 'Not an import id.' }) });
const importBody = z.strictObject({
  practitionerMemberId: z.uuid({ message: 'Not a member id.' }),
  fileName: z.string().trim().min(1).max(200).optional(),
  /** The file's text (UTF-8): one patient per row. */
  csv: z.string().min(1, { message: 'The file is empty.' }).max(900_000, { message: 'At most 900,000 characters; split larger files.' }),
});

export const importRoutes: FastifyPluginAsyncZod<{ imports: ImportService }> = async (app, { imports }) => {
  const tags = ['patient import'];

  app.post('/api/organisations/:orgId/patient-imports', { config: { access: 'org:import' }, schema: { tags, summary: "Import patients from CSV into a practitioner's list; runs as a job", params: orgParams, body: importBody } }, async (req, reply) =>
    reply.status(202).send({ import: await imports.request(req.ctx, req.body) }),
  );

  app.get('/api/organisations/:orgId/patient-imports', { config: { access: 'org:import' }, schema: { tags, summary: 'Recent imports with their results', params: orgParams } }, async (req) => imports.list(req.ctx));

  app.get('/api/organisations/:orgId/patient-imports/:importId', { config: { access: 'org:import' }, schema: { tags, summary: 'One import: counts and each rejected row with its line and reason', params: importParams } }, async (req) => ({
    import: await imports.get(req.ctx, req.params.importId),
  }));
};
