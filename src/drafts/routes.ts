import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DraftService } from './service.ts';
import { draftBody, draftParams } from './schemas.ts';

export const draftRoutes: FastifyPluginAsyncZod<{ drafts: DraftService }> = async (app, { drafts }) => {
  const tags = ['drafts'];
  app.get('/api/drafts', { config: { access: 'signedIn' }, schema: { tags, summary: 'Your saved drafts' } }, async (req) => ({
    drafts: await drafts.list(req.ctx),
  }));
  app.get('/api/drafts/:editor/:key', { config: { access: 'signedIn' }, schema: { tags, summary: 'One draft', params: draftParams } }, async (req) => ({
    draft: await drafts.get(req.ctx, req.params.editor, req.params.key),
  }));
  app.put(
    '/api/drafts/:editor/:key',
    { config: { access: 'signedIn' }, schema: { tags, summary: 'Save a draft while typing', params: draftParams, body: draftBody } },
    async (req) => ({ draft: await drafts.save(req.ctx, req.params.editor, req.params.key, req.body.data) }),
  );
  app.delete('/api/drafts/:editor/:key', { config: { access: 'signedIn' }, schema: { tags, summary: 'Discard a draft', params: draftParams } }, async (req, reply) => {
    await drafts.discard(req.ctx, req.params.editor, req.params.key);
    return reply.status(204).send();
  });
};
