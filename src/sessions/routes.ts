import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { AccountService } from '../accounts/service.ts';
import { route } from '../platform/http/route.ts';
import { clearSessionCookie } from './cookie.ts';
import { sessionContracts as c } from './schemas.ts';
import type { SessionService } from './service.ts';

interface Options {
  config: Config;
  accounts: AccountService;
  sessions: SessionService;
}

export const sessionRoutes: FastifyPluginAsyncZod<Options> = async (app, { config, accounts, sessions }) => {
  route(app, c.current, async (ctx) => ({
    account: await accounts.load(ctx.actor.accountId),
    session: await sessions.current(ctx.actor),
  }));

  route(app, c.signOut, async (ctx, _input, reply) => {
    await sessions.signOut(ctx);
    clearSessionCookie(config, reply);
  });

  route(app, c.reportNotMe, async (ctx, _input, reply) => {
    await accounts.reportNotMe(ctx);
    clearSessionCookie(config, reply);
    return {
      message: 'Every session of your account was ended. We emailed you a link to choose a new password; you need it to sign in again.',
    };
  });
};
