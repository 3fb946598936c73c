import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import type { CalendarService } from './calendar.ts';
import type { ReminderService } from './reminders.ts';
import { engagementContracts as c } from './schemas.ts';

/** R-ENG-4: reminders by email, one-click unsubscribe and the calendar feed. */
export const reminderRoutes: FastifyPluginAsyncZod<{ reminders: ReminderService; calendar: CalendarService }> = async (app, { reminders, calendar }) => {
  route(app, c.setReminder, async (ctx, { body }) => ({ reminder: await reminders.set(ctx, body) }));
  route(app, c.clearReminder, (ctx) => reminders.clear(ctx));
  route(app, c.calendar, (ctx) => calendar.createFeed(ctx));
  route(app, c.calendarFeed, async (ctx, { query }, reply) => {
    const text = await calendar.feed(ctx, query.token);
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'no-store').send(text);
  });
  // Mail clients send the one-click POST as a form (RFC 8058, "List-Unsubscribe=One-Click"): this
  // route alone accepts that content type; its body says nothing the address does not.
  await app.register(async (oneClick) => {
    oneClick.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, undefined));
    route(oneClick, c.unsubscribe, (ctx, { query }) => reminders.unsubscribe(ctx, query.token));
  });
};
