/** Client-side checks of the console's user forms, mirroring the server's rules. */
import { z } from 'zod';
import { NAME_MAX } from '../accounts/schemas.ts';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const personEmail = z
  .string()
  .trim()
  .min(1, 'Enter their email address.')
  .max(254, 'An email address has at most 254 characters.')
  .regex(EMAIL_PATTERN, 'Enter a valid email address, like name@example.com.');

export const addUserSchema = z
  .object({
    name: z.string().trim().min(1, "Enter the person's name.").max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
    email: personEmail,
    practitioner: z.boolean(),
    admin: z.boolean(),
    sections: z.array(z.string()),
  })
  .superRefine((values, ctx) => {
    if (!values.practitioner && !values.admin) {
      ctx.addIssue({ code: 'custom', path: ['practitioner'], message: 'Give practitioner access, console access, or both.' });
    }
    if (values.admin && values.sections.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'Tick at least one section, or turn Console admin off.' });
    }
  });

export type AddUserValues = z.input<typeof addUserSchema>;
