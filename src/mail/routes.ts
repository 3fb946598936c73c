import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../platform/db/database.ts';
import { linksIn } from './outbox.ts';

/** The development mailbox: mail kept in the outbox, with its links, for local installations. */
export const devMailboxRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
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
    async (request) => {
      let q = db.selectFrom('outbox_emails').selectAll().orderBy('created_at', 'desc').limit(200);
      if (request.query.to) q = q.where('to_address', '=', request.query.to.toLowerCase());
      const rows = await q.execute();
      return {
        messages: rows.map((m) => ({
          id: m.id,
          to: m.to_address,
          subject: m.subject,
          text: m.text_body,
          html: m.html_body,
          createdAt: m.created_at.toISOString(),
          links: linksIn(m.text_body),
        })),
      };
    },
  );
};
