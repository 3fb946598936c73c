import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createPatientBody, patientParams, patientsQuery, updatePatientBody } from './schemas.ts';
import type { PatientService } from './service.ts';

/** A practitioner's patients (R-PAT-1, R-PAT-2). Every route needs a licence that lets them work. */
export const patientRoutes: FastifyPluginAsyncZod<{ patients: PatientService }> = async (app, { patients }) => {
  const tags = ['patients'];

  app.get('/api/patients', { config: { access: 'practitioner' }, schema: { tags, summary: 'Your patients and those shared with you, searchable (recorded in the audit trail)', querystring: patientsQuery } }, async (req) =>
    patients.list(req.ctx, req.query),
  );

  app.post('/api/patients', { config: { access: 'practitioner' }, schema: { tags, summary: 'Add a patient (R-PAT-1)', body: createPatientBody } }, async (req, reply) =>
    reply.status(201).send({ patient: await patients.create(req.ctx, req.body) }),
  );

  app.get('/api/patients/:patientId', { config: { access: 'practitioner' }, schema: { tags, summary: 'One patient (recorded in the audit trail)', params: patientParams } }, async (req) => ({
    patient: await patients.get(req.ctx, req.params.patientId),
  }));

  app.patch('/api/patients/:patientId', { config: { access: 'practitioner' }, schema: { tags, summary: "Change a patient's details", params: patientParams, body: updatePatientBody } }, async (req) => ({
    patient: await patients.update(req.ctx, req.params.patientId, req.body),
  }));

  app.post('/api/patients/:patientId/archive', { config: { access: 'practitioner' }, schema: { tags, summary: 'Archive a patient (kept, hidden from the list)', params: patientParams } }, async (req) => ({
    patient: await patients.setArchived(req.ctx, req.params.patientId, true),
  }));

  app.delete('/api/patients/:patientId/archive', { config: { access: 'practitioner' }, schema: { tags, summary: 'Bring an archived patient back', params: patientParams } }, async (req) => ({
    patient: await patients.setArchived(req.ctx, req.params.patientId, false),
  }));

  app.delete('/api/patients/:patientId', { config: { access: 'practitioner' }, schema: { tags, summary: 'Delete a patient with their programmes', params: patientParams } }, async (req, reply) => {
    await patients.remove(req.ctx, req.params.patientId);
    return reply.status(204).send();
  });
};
