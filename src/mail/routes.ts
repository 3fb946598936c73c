import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MailboxService } from './service.ts';

/** Registered only when the development mailbox is on (never in production). */
export const devMailboxRoutes: FastifyPluginAsyncZod<{ mailbox: MailboxService }> = async (app, { mailbox }) => {
  app.get(
    '/api/dev/mailbox',
    {
      config: { access: 'public' },
      schema: {
        tags: ['development'],
        summary: 'Mail kept in the outbox (development only)',
        querystring: z.strictObject({ to: z.email().max(254).optional() }),
      },
    },
    async (request) => ({ messages: await mailbox.list(request.query.to) }),
  );
};
