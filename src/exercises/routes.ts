import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import multipart from '@fastify/multipart';
import { NotFoundError } from '../platform/errors.ts';
import { IMAGE_UPLOAD_LIMITS, prepareImage, readImageUpload } from '../platform/images.ts';
import { customExerciseBody, exerciseParams, exercisesQuery } from './schemas.ts';
import type { ExerciseService } from './service.ts';

export const exerciseRoutes: FastifyPluginAsyncZod<{ exercises: ExerciseService }> = async (app, { exercises }) => {
  const tags = ['exercises'];

  app.get('/api/exercises', { config: { access: 'practitioner' }, schema: { tags, summary: 'The exercise library: stock and your own, searchable and filterable (R-EXE-1)', querystring: exercisesQuery } }, async (req) =>
    exercises.list(req.ctx, req.query),
  );

  app.post('/api/exercises', { config: { access: 'practitioner' }, schema: { tags, summary: 'Create a custom exercise (R-EXE-1)', body: customExerciseBody } }, async (req, reply) =>
    reply.status(201).send({ exercise: await exercises.createCustom(req.ctx, req.body) }),
  );

  app.get('/api/exercises/:exerciseId', { config: { access: 'practitioner' }, schema: { tags, summary: 'One exercise', params: exerciseParams } }, async (req) => ({
    exercise: await exercises.get(req.ctx, req.params.exerciseId),
  }));

  await app.register(async (uploads) => {
    await uploads.register(multipart, { limits: IMAGE_UPLOAD_LIMITS });
    uploads.put(
      '/api/exercises/:exerciseId/image',
      { config: { access: 'practitioner' }, schema: { tags, summary: 'Set the image of your custom exercise (PNG, JPEG or WebP, at most 2 MB; multipart field "image")', params: exerciseParams, consumes: ['multipart/form-data'] } },
      async (req) => {
        const { data, mimetype } = await readImageUpload(req, 'image');
        return { exercise: await exercises.setImage(req.ctx, (req.params as { exerciseId: string }).exerciseId, await prepareImage(data, mimetype, 1200)) };
      },
    );
  });

  app.delete('/api/exercises/:exerciseId/image', { config: { access: 'practitioner' }, schema: { tags, summary: 'Remove the image of your custom exercise', params: exerciseParams } }, async (req) => ({
    exercise: await exercises.setImage(req.ctx, req.params.exerciseId, null),
  }));

  // Stock drawings are public (the patient's page shows them, and they hold nothing personal); a
  // custom exercise's image needs a practitioner who may use the exercise.
  app.get('/api/exercises/:exerciseId/illustration', { config: { access: 'optionalSession' }, schema: { tags, summary: "An exercise's illustration (SVG for stock exercises)", params: exerciseParams } }, async (req, reply) => {
    const pic = await exercises.illustration(req.params.exerciseId, req.ctx.actor?.accountId ?? null);
    if (!pic) throw new NotFoundError('illustration');
    return reply
      .type(pic.type)
      .header('cache-control', pic.cacheable ? 'public, max-age=86400' : 'private, max-age=300')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(pic.body);
  });
};
