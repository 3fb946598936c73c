import { z } from 'zod';

// Shapes shared by the server's routes, the OpenAPI description and the web forms.

export const NAME_MAX = 200;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

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
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, { message: 'Use international format, e.g. +44 20 7946 0958.' }));

export const practiceSchema = z.strictObject({
  name: z.string().trim().max(NAME_MAX).nullable().optional(),
  address: z.string().trim().max(1000).nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  website: z.url({ protocol: /^https?$/, message: 'Enter a web address starting with http:// or https://' }).max(500).nullable().optional(),
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

export const accountView = z.object({
  id: z.uuid(),
  email: z.string(),
  emailVerified: z.boolean(),
  name: z.string(),
  profession: z.string().nullable(),
  phone: z.string().nullable(),
  practice: z.object({
    name: z.string().optional(),
    address: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    website: z.string().optional(),
  }),
  hasLogo: z.boolean(),
  isOperator: z.boolean(),
  createdAt: z.string(),
});

export type AccountView = z.infer<typeof accountView>;
