import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { memberParams } from '../memberships/schemas.ts';
import { patientProgrammeParams, programmeBody, programmeParams, programmeViewBody, templateBody, templateParams } from './schemas.ts';
import type { ProgrammeService } from './service.ts';

export const programmeRoutes: FastifyPluginAsyncZod<{ programmes: ProgrammeService }> = async (app, { programmes }) => {
  const tags = ['programmes'];

  app.get('/api/patients/:patientId/programmes', { config: { access: 'practitioner' }, schema: { tags, summary: "A patient's programmes (recorded in the audit trail)", params: patientProgrammeParams } }, async (req) =>
    programmes.listForPatient(req.ctx, req.params.patientId),
  );

  app.post('/api/patients/:patientId/programmes', { config: { access: 'practitioner' }, schema: { tags, summary: 'Assign a programme: a new code, emailed to the patient when an email is known (R-PRG-1, R-PRG-2)', params: patientProgrammeParams, body: programmeBody } }, async (req, reply) =>
    reply.status(201).send(await programmes.assign(req.ctx, req.params.patientId, req.body)),
  );

  app.get('/api/programmes/:programmeId', { config: { access: 'practitioner' }, schema: { tags, summary: 'One programme', params: programmeParams } }, async (req) => ({
    programme: await programmes.get(req.ctx, req.params.programmeId),
  }));

  app.put('/api/programmes/:programmeId', { config: { access: 'practitioner' }, schema: { tags, summary: 'Change a programme (its code stays)', params: programmeParams, body: programmeBody } }, async (req) => ({
    programme: await programmes.update(req.ctx, req.params.programmeId, req.body),
  }));

  app.post('/api/programmes/:programmeId/end', { config: { access: 'practitioner' }, schema: { tags, summary: 'End a programme; the patient keeps a read-only view (R-PRG-3)', params: programmeParams } }, async (req) => ({
    programme: await programmes.end(req.ctx, req.params.programmeId),
  }));

  app.post('/api/programmes/:programmeId/resend', { config: { access: 'practitioner' }, schema: { tags, summary: 'Email the programme code to the patient again (R-PRG-2)', params: programmeParams } }, async (req) =>
    programmes.resend(req.ctx, req.params.programmeId),
  );

  app.post('/api/programmes/:programmeId/copy-to-library', { config: { access: 'practitioner' }, schema: { tags, summary: "Copy a patient's programme to your library as a template (R-PRG-1)", params: programmeParams } }, async (req, reply) =>
    reply.status(201).send({ template: await programmes.copyToLibrary(req.ctx, req.params.programmeId) }),
  );

  app.get('/api/templates', { config: { access: 'practitioner' }, schema: { tags, summary: 'Your programme templates' } }, async (req) => programmes.templates(req.ctx));

  app.post('/api/templates', { config: { access: 'practitioner' }, schema: { tags, summary: 'Save a programme template (R-PRG-1)', body: templateBody } }, async (req, reply) =>
    reply.status(201).send({ template: await programmes.createTemplate(req.ctx, req.body) }),
  );

  app.delete('/api/templates/:templateId', { config: { access: 'practitioner' }, schema: { tags, summary: 'Delete a template', params: templateParams } }, async (req, reply) => {
    await programmes.deleteTemplate(req.ctx, req.params.templateId);
    return reply.status(204).send();
  });

  app.get('/api/organisations/:orgId/members/:memberId/programme-counts', { config: { access: 'org:users' }, schema: { tags, summary: "A member's active programmes and those a removal disabled (counts only, R-PRA-3, R-PRA-5)", params: memberParams } }, async (req) =>
    programmes.countsForMember(req.ctx, req.params.memberId),
  );

  // The patient's page (R-PRG-2): no account; the code and year of birth open it, throttled per address.
  app.post('/api/programme-view', { config: { access: 'public' }, schema: { tags, summary: 'Open a programme with its code and the year of birth (wrong attempts are throttled)', body: programmeViewBody } }, async (req) =>
    programmes.openAsPatient(req.ctx, req.body),
  );
};
