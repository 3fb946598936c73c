import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { AccountService } from '../accounts/service.ts';
import { clearSessionCookie } from './cookie.ts';
import type { SessionService } from './service.ts';

interface Options {
  config: Config;
  accounts: AccountService;
  sessions: SessionService;
}

export const sessionRoutes: FastifyPluginAsyncZod<Options> = async (app, { config, accounts, sessions }) => {
  const tags = ['sessions'];

  app.get('/api/session', { config: { access: 'signedIn' }, schema: { tags, summary: 'Who is signed in; 401 says why not (e.g. session_replaced)' } }, async (req) => ({
    account: await accounts.load(req.ctx.actor!.accountId),
    session: await sessions.current(req.ctx.actor!),
  }));

  app.post('/api/auth/sign-out', { config: { access: 'signedIn' }, schema: { tags, summary: 'Sign out' } }, async (req, reply) => {
    await sessions.signOut(req.ctx, req.ctx.actor!);
    clearSessionCookie(config, reply);
    return reply.status(204).send();
  });

  app.post(
    '/api/sessions/report-not-me',
    { config: { access: 'endedSession' }, schema: { tags, summary: '"This wasn\'t me": end every session and require a new password' } },
    async (req, reply) => {
      await accounts.reportNotMe(req.ctx);
      clearSessionCookie(config, reply);
      return {
        message: 'Every session of your account was ended. We emailed you a link to choose a new password; you need it to sign in again.',
      };
    },
  );
};
