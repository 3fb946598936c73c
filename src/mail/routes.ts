import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import { mailboxContracts as c } from './schemas.ts';
import type { MailboxService } from './service.ts';

/** Registered only when the development mailbox is on (never in production). */
export const devMailboxRoutes: FastifyPluginAsyncZod<{ mailbox: MailboxService }> = async (app, { mailbox }) => {
  route(app, c.list, async (_ctx, { query }) => ({ messages: await mailbox.list(query.to) }));
};
