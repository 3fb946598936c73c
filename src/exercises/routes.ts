import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import multipart from '@fastify/multipart';
import { NotFoundError } from '../platform/errors.ts';
import { route } from '../platform/http/route.ts';
import { IMAGE_UPLOAD_LIMITS, prepareImage, readImageUpload } from '../platform/images.ts';
import { exerciseContracts as c } from './schemas.ts';
import type { ExerciseService } from './service.ts';

export const exerciseRoutes: FastifyPluginAsyncZod<{ exercises: ExerciseService }> = async (app, { exercises }) => {
  route(app, c.list, (ctx, { query }) => exercises.list(ctx, query));
  route(app, c.create, async (ctx, { body }) => ({ exercise: await exercises.createCustom(ctx, body) }));
  route(app, c.get, async (ctx, { params }) => ({ exercise: await exercises.get(ctx, params.exerciseId) }));

  // Only the upload's scope parses multipart bodies.
  await app.register(async (uploads) => {
    await uploads.register(multipart, { limits: IMAGE_UPLOAD_LIMITS });
    route(uploads, c.setImage, async (ctx, { params }, reply) => {
      await exercises.checkEditable(ctx, params.exerciseId);
      const { data, mimetype } = await readImageUpload(reply.request, 'image');
      return { exercise: await exercises.setImage(ctx, params.exerciseId, await prepareImage(data, mimetype, 1200)) };
    });
  });

  route(app, c.removeImage, async (ctx, { params }) => ({ exercise: await exercises.setImage(ctx, params.exerciseId, null) }));

  route(app, c.illustration, async (ctx, { params }, reply) => {
    const pic = await exercises.illustration(params.exerciseId, ctx.actor?.accountId ?? null);
    if (!pic) throw new NotFoundError('illustration');
    return reply
      .type(pic.type)
      .header('cache-control', pic.cacheable ? 'public, max-age=86400' : 'private, max-age=300')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(pic.body);
  });
};
