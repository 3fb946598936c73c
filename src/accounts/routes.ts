import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import { IMAGE_UPLOAD_LIMITS, readImageUpload } from '../platform/images.ts';
import { route } from '../platform/http/route.ts';
import { setSessionCookie } from '../sessions/cookie.ts';
import type { SessionService } from '../sessions/service.ts';
import { prepareLogo } from './logo.ts';
import { accountContracts as c } from './schemas.ts';
import type { AccountService } from './service.ts';

interface Options {
  config: Config;
  accounts: AccountService;
  sessions: SessionService;
}

export const accountRoutes: FastifyPluginAsyncZod<Options> = async (app, { config, accounts, sessions }) => {
  route(app, c.signUp, async (ctx, { body }, reply) => {
    const { account, session } = await accounts.signUp(ctx, body);
    setSessionCookie(config, reply, session.token, session.expiresAt);
    return { account, session: sessions.view(session) };
  });

  route(app, c.signIn, async (ctx, { body }, reply) => {
    const { account, session } = await accounts.signIn(ctx, body.email, body.password);
    setSessionCookie(config, reply, session.token, session.expiresAt);
    return { account, session: sessions.view(session) };
  });

  route(app, c.verifyEmail, async (ctx, { body }) => ({ account: await accounts.verifyEmail(ctx, body.token) }));

  route(app, c.resendVerification, async (ctx) => {
    await accounts.resendVerification(ctx);
    return { message: 'We sent you a new confirmation email.' };
  });

  route(app, c.forgotPassword, async (ctx, { body }) => {
    await accounts.forgotPassword(ctx, body.email);
    return { message: "If an account exists for that address, we've emailed a link to reset the password." };
  });

  route(app, c.resetPassword, async (ctx, { body }) => {
    await accounts.resetPassword(ctx, body.token, body.password);
    return { message: 'Your password was changed. Sign in with your new password.' };
  });

  route(app, c.changePassword, (ctx, { body }) => accounts.changePassword(ctx, body.currentPassword, body.newPassword));

  route(app, c.get, async (ctx) => ({ account: await accounts.load(ctx.actor.accountId) }));

  route(app, c.update, async (ctx, { body }) => ({ account: await accounts.updateProfile(ctx, body) }));

  route(app, c.activity, async (ctx, { query }) => ({ items: await accounts.activity(ctx, query.limit, query.before) }));

  await app.register(async (uploads) => {
    await uploads.register(multipart, { limits: IMAGE_UPLOAD_LIMITS });
    route(uploads, c.uploadLogo, async (ctx, _input, reply) => {
      const { data, mimetype } = await readImageUpload(reply.request, 'logo');
      return { account: await accounts.setLogo(ctx, await prepareLogo(data, mimetype)) };
    });
  });

  route(app, c.logo, async (ctx, _input, reply) => {
    const logo = await accounts.logo(ctx);
    return reply.type(logo.mime_type).header('cache-control', 'private, no-cache').send(logo.data);
  });

  route(app, c.removeLogo, async (ctx) => ({ account: await accounts.removeLogo(ctx) }));
};
