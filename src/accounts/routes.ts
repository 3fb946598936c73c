import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { setSessionCookie } from '../sessions/cookie.ts';
import type { SessionService } from '../sessions/service.ts';
import { prepareLogo } from './logo.ts';
import { IMAGE_UPLOAD_LIMITS, readImageUpload } from '../platform/images.ts';
import {
  changePasswordBody,
  forgotPasswordBody,
  profilePatchBody,
  resetPasswordBody,
  signInBody,
  signUpBody,
  tokenBody,
} from './schemas.ts';
import type { AccountService } from './service.ts';

interface Options {
  config: Config;
  accounts: AccountService;
  sessions: SessionService;
}

export const accountRoutes: FastifyPluginAsyncZod<Options> = async (app, { config, accounts, sessions }) => {
  const auth = ['auth'];
  const account = ['account'];

  app.post('/api/auth/sign-up', { config: { access: 'public' }, schema: { tags: auth, summary: 'Create an account and sign in', body: signUpBody } }, async (req, reply) => {
    const { account: view, session } = await accounts.signUp(req.ctx, req.body);
    setSessionCookie(config, reply, session.token, session.expiresAt);
    return reply.status(201).send({ account: view, session: sessions.view(session) });
  });

  app.post('/api/auth/sign-in', { config: { access: 'public' }, schema: { tags: auth, summary: 'Sign in (ends any other session of the account)', body: signInBody } }, async (req, reply) => {
    const { account: view, session } = await accounts.signIn(req.ctx, req.body.email, req.body.password);
    setSessionCookie(config, reply, session.token, session.expiresAt);
    return { account: view, session: sessions.view(session) };
  });

  app.post('/api/auth/verify-email', { config: { access: 'optionalSession' }, schema: { tags: auth, summary: 'Confirm an email address with the emailed token', body: tokenBody } }, async (req) => ({
    account: await accounts.verifyEmail(req.ctx, req.body.token),
  }));

  app.post('/api/auth/resend-verification', { config: { access: 'signedIn' }, schema: { tags: auth, summary: 'Send the confirmation email again' } }, async (req, reply) => {
    await accounts.resendVerification(req.ctx);
    return reply.status(202).send({ message: 'We sent you a new confirmation email.' });
  });

  app.post('/api/auth/forgot-password', { config: { access: 'public' }, schema: { tags: auth, summary: 'Email a password reset link', body: forgotPasswordBody } }, async (req, reply) => {
    await accounts.forgotPassword(req.ctx, req.body.email);
    return reply.status(202).send({ message: "If an account exists for that address, we've emailed a link to reset the password." });
  });

  app.post('/api/auth/reset-password', { config: { access: 'public' }, schema: { tags: auth, summary: 'Set a new password with the emailed token', body: resetPasswordBody } }, async (req) => {
    await accounts.resetPassword(req.ctx, req.body.token, req.body.password);
    return { message: 'Your password was changed. Sign in with your new password.' };
  });

  app.post('/api/account/password', { config: { access: 'signedIn' }, schema: { tags: account, summary: 'Change your password', body: changePasswordBody } }, async (req) =>
    accounts.changePassword(req.ctx, req.body.currentPassword, req.body.newPassword),
  );

  app.get('/api/account', { config: { access: 'signedIn' }, schema: { tags: account, summary: 'Your profile' } }, async (req) => ({
    account: await accounts.load(req.ctx.actor!.accountId),
  }));

  app.patch('/api/account', { config: { access: 'signedIn' }, schema: { tags: account, summary: 'Edit your profile', body: profilePatchBody } }, async (req) => ({
    account: await accounts.updateProfile(req.ctx, req.body),
  }));

  app.get(
    '/api/account/activity',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: account,
        summary: "Your account's audit records",
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.coerce.number().int().positive().optional() }),
      },
    },
    async (req) => ({ items: await accounts.activity(req.ctx, req.query.limit, req.query.before) }),
  );

  await app.register(async (uploads) => {
    await uploads.register(multipart, { limits: IMAGE_UPLOAD_LIMITS });
    uploads.put('/api/account/logo', { config: { access: 'signedIn' }, schema: { tags: account, summary: 'Upload your logo (PNG, JPEG or WebP, at most 2 MB; multipart field "logo")', consumes: ['multipart/form-data'] } }, async (req) => {
      const { data, mimetype } = await readImageUpload(req, 'logo');
      return { account: await accounts.setLogo(req.ctx, await prepareLogo(data, mimetype)) };
    });
  });

  app.get('/api/account/logo', { config: { access: 'signedIn' }, schema: { tags: account, summary: 'Your logo image' } }, async (req, reply) => {
    const logo = await accounts.logo(req.ctx);
    return reply.type(logo.mime_type).header('cache-control', 'private, no-cache').send(logo.data);
  });

  app.delete('/api/account/logo', { config: { access: 'signedIn' }, schema: { tags: account, summary: 'Remove your logo' } }, async (req) => ({
    account: await accounts.removeLogo(req.ctx),
  }));
};
