import { z } from 'zod';
import { defineContract } from '../platform/http/contract.ts';

// Shapes shared by the server's routes, the OpenAPI description and the web forms.

export const NAME_MAX = 200;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
export const ADDRESS_MAX = 1000;
export const WEBSITE_MAX = 500;
/** International format (E.164): "+", the country code and the number, at most 15 digits in all. */
export const PHONE_PATTERN = /^\+[1-9]\d{6,14}$/;

/** R-ACC-1: one email per account, compared trimmed and in lower case. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Enter a valid email address.' }))
  .transform((e) => e.toLowerCase());

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, { message: `Use at least ${PASSWORD_MIN} characters.` })
  .max(PASSWORD_MAX, { message: `Use at most ${PASSWORD_MAX} characters.` });

export const personNameSchema = z.string().trim().min(1, { message: 'Enter a name.' }).max(NAME_MAX);

/** International format (E.164): "+" then country code and number; spaces, dots and dashes are ignored. */
export const phoneSchema = z
  .string()
  .max(40)
  .transform((v) => v.replace(/[\s.()-]/g, ''))
  .pipe(z.string().regex(PHONE_PATTERN, { message: 'Use international format, e.g. +44 20 7946 0958.' }));

export const practiceSchema = z.strictObject({
  name: z.string().trim().max(NAME_MAX).nullable().optional(),
  address: z.string().trim().max(ADDRESS_MAX).nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  website: z.url({ protocol: /^https?$/, message: 'Enter a web address starting with http:// or https://' }).max(WEBSITE_MAX).nullable().optional(),
});

export const signUpBody = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: personNameSchema,
});

export const signInBody = z.strictObject({
  email: z.string().trim().max(254).transform((e) => e.toLowerCase()),
  password: z.string().max(PASSWORD_MAX + 768),
});

export const tokenBody = z.strictObject({ token: z.string().min(10).max(200) });

export const forgotPasswordBody = z.strictObject({ email: emailSchema });

export const resetPasswordBody = z.strictObject({
  token: z.string().min(10).max(200),
  password: passwordSchema,
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX + 768),
  newPassword: passwordSchema,
});

export const profilePatchBody = z.strictObject({
  name: personNameSchema.optional(),
  profession: z.string().trim().max(NAME_MAX).nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  practice: practiceSchema.optional(),
});

export type ProfilePatch = z.infer<typeof profilePatchBody>;

/** The practice details on an account, as the API answers them (empty fields are left out). */
export const practiceView = z.object({
  name: z.string().optional(),
  address: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  website: z.string().optional(),
});
export type PracticeView = z.infer<typeof practiceView>;

/** R-ACC-1: an account as its holder sees it. */
export const accountView = z.object({
  id: z.uuid(),
  email: z.string(),
  emailVerified: z.boolean(),
  name: z.string(),
  profession: z.string().nullable(),
  phone: z.string().nullable(),
  practice: practiceView,
  hasLogo: z.boolean(),
  isOperator: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type AccountView = z.infer<typeof accountView>;

/**
 * The session as sign-in hands it out (R-SES-1, R-SES-4): the CSRF token the browser sends on every
 * write, and when the session ends if left idle or at the latest. It sits beside the account view
 * because sign-up, sign-in and a password change (here) and GET /api/session (sessions) all answer
 * the pair.
 */
export const sessionView = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  csrfToken: z.string(),
  idleExpiresAt: z.iso.datetime(),
  absoluteExpiresAt: z.iso.datetime(),
});
export type SessionView = z.infer<typeof sessionView>;

/** Who is signed in: what sign-up, sign-in, a password change and GET /api/session answer. */
export const signedInView = z.object({ account: accountView, session: sessionView });
export type SignedInView = z.infer<typeof signedInView>;

/** R-AUD-4: one of a person's own audit records. */
export const activityItemView = z.object({
  /** Ascending in the trail: pass the last one seen as `before` for the next page. */
  id: z.number().int(),
  at: z.iso.datetime(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied']),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** The API key the request was made with (its prefix), if any (R-INT-3). */
  apiKeyPrefix: z.string().nullable(),
});
export type ActivityItemView = z.infer<typeof activityItemView>;

export const activityQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
});

/** An answer that only tells the person what happened. */
export const messageView = z.object({ message: z.string() });

const oneAccount = z.object({ account: accountView });
const auth = ['auth'];
const account = ['account'];

/** Signing up and in, email confirmation, passwords, and the signed-in person's own profile (section 2). */
export const accountContracts = {
  signUp: defineContract({
    method: 'POST',
    path: '/api/auth/sign-up',
    access: 'public',
    tags: auth,
    summary: 'Create an account and sign in',
    body: signUpBody,
    example: { email: 'mara.lindqvist@example.org', password: 'kettle orchard lantern', name: 'Mara Lindqvist' },
    status: 201,
    response: signedInView,
  }),
  signIn: defineContract({
    method: 'POST',
    path: '/api/auth/sign-in',
    access: 'public',
    tags: auth,
    summary: 'Sign in (ends any other session of the account)',
    body: signInBody,
    example: { email: 'mara.lindqvist@example.org', password: 'kettle orchard lantern' },
    response: signedInView,
  }),
  verifyEmail: defineContract({
    method: 'POST',
    path: '/api/auth/verify-email',
    access: 'optionalSession',
    tags: auth,
    summary: 'Confirm an email address with the emailed token',
    body: tokenBody,
    example: { token: 'kQ3v8Zt1xY0bN7mR2pL5wA9cE4sH6jU1oI8gF3dK2' },
    response: oneAccount,
  }),
  resendVerification: defineContract({
    method: 'POST',
    path: '/api/auth/resend-verification',
    access: 'signedIn',
    tags: auth,
    summary: 'Send the confirmation email again',
    status: 202,
    response: messageView,
  }),
  forgotPassword: defineContract({
    method: 'POST',
    path: '/api/auth/forgot-password',
    access: 'public',
    tags: auth,
    summary: 'Email a password reset link',
    description: 'Answers 202 at once, whether or not the address has an account (R-SES-5); the link, if any, is sent by a queued job.',
    // R-SES-5: the answer only queues the request; its job records the outcome under this request's id and address.
    unaudited: 'recorded by the queued job that handles the request, with its request id',
    body: forgotPasswordBody,
    example: { email: 'mara.lindqvist@example.org' },
    status: 202,
    response: messageView,
  }),
  resetPassword: defineContract({
    method: 'POST',
    path: '/api/auth/reset-password',
    access: 'public',
    tags: auth,
    summary: 'Set a new password with the emailed token',
    body: resetPasswordBody,
    example: { token: 'kQ3v8Zt1xY0bN7mR2pL5wA9cE4sH6jU1oI8gF3dK2', password: 'willow harbour compass' },
    response: messageView,
  }),
  changePassword: defineContract({
    method: 'POST',
    path: '/api/account/password',
    access: 'signedIn',
    tags: account,
    summary: 'Change your password',
    body: changePasswordBody,
    example: { currentPassword: 'kettle orchard lantern', newPassword: 'willow harbour compass' },
    response: signedInView,
  }),
  get: defineContract({
    method: 'GET',
    path: '/api/account',
    access: 'signedIn',
    tags: account,
    summary: 'Your profile',
    response: oneAccount,
  }),
  update: defineContract({
    method: 'PATCH',
    path: '/api/account',
    access: 'signedIn',
    tags: account,
    summary: 'Edit your profile',
    body: profilePatchBody,
    example: { profession: 'Physiotherapist', practice: { name: 'Lindqvist Physiotherapy', phone: '+44 20 7946 0958' } },
    response: oneAccount,
  }),
  activity: defineContract({
    method: 'GET',
    path: '/api/account/activity',
    access: 'signedIn',
    tags: account,
    summary: "Your account's audit records",
    query: activityQuery,
    response: z.object({ items: z.array(activityItemView) }),
  }),
  uploadLogo: defineContract({
    method: 'PUT',
    path: '/api/account/logo',
    access: 'signedIn',
    tags: account,
    summary: 'Upload your logo (PNG, JPEG or WebP, at most 2 MB; multipart field "logo")',
    body: 'multipart',
    response: oneAccount,
  }),
  logo: defineContract({
    method: 'GET',
    path: '/api/account/logo',
    access: 'signedIn',
    tags: account,
    summary: 'Your logo image',
    response: { raw: 'image/*', description: 'The logo as stored: PNG, JPEG or WebP' },
  }),
  removeLogo: defineContract({
    method: 'DELETE',
    path: '/api/account/logo',
    access: 'signedIn',
    tags: account,
    summary: 'Remove your logo',
    response: oneAccount,
  }),
};
