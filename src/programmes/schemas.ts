import { z } from 'zod';

const count = (max: number) => z.number().int().min(1).max(max).nullable().default(null);

/** R-PRG-1: one exercise of a programme with its parameters. */
export const programmeItemSchema = z
  .strictObject({
    exerciseId: z.uuid({ message: 'Not an exercise id.' }),
    sets: count(50),
    reps: count(500),
    durationSeconds: count(7200),
    holdSeconds: count(600),
    restSeconds: z.number().int().min(0).max(3600).nullable().default(null),
    timesPerDay: count(12),
    daysPerWeek: count(7),
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).nullable().default(null),
    instructions: z.string().trim().max(10_000).nullable().default(null),
  })
  .refine((i) => i.reps === null || i.durationSeconds === null, { message: 'Give repetitions or a duration, not both.', path: ['durationSeconds'] })
  .refine((i) => i.daysPerWeek === null || i.weekdays === null, { message: 'Give days per week or chosen weekdays, not both.', path: ['weekdays'] })
  .refine((i) => i.weekdays === null || new Set(i.weekdays).size === i.weekdays.length, { message: 'Each weekday once.', path: ['weekdays'] });

/** Programmes run in this century: a year 0 or 9999 is a typing slip, refused with its field (SPEC §12). */
const date = z.iso
  .date({ message: 'A date as YYYY-MM-DD.' })
  .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', { message: 'A date between 2000-01-01 and 2099-12-31.', abort: true });

export const programmeBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    startDate: date,
    endDate: date.nullable().default(null),
    trackAdherence: z.boolean().default(false),
    trackPain: z.boolean().default(false),
    items: z.array(programmeItemSchema).min(1, { message: 'Pick at least one exercise.' }).max(100),
  })
  .refine((p) => p.endDate === null || p.endDate >= p.startDate, { message: 'The end date cannot be before the start date.', path: ['endDate'] });

export const templateBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  trackAdherence: z.boolean().default(false),
  trackPain: z.boolean().default(false),
  items: z.array(programmeItemSchema).min(1, { message: 'Pick at least one exercise.' }).max(100),
});

export const programmeParams = z.strictObject({ programmeId: z.uuid({ message: 'Not a programme id.' }) });
export const templateParams = z.strictObject({ templateId: z.uuid({ message: 'Not a template id.' }) });
export const patientProgrammeParams = z.strictObject({ patientId: z.uuid({ message: 'Not a patient id.' }) });

/** R-PRG-2: what a patient types on the programme page. */
export const programmeViewBody = z.strictObject({
  code: z.string().trim().toLowerCase().regex(/^[a-z]{8}$/, { message: 'The programme code is 8 letters.' }),
  yearOfBirth: z.number().int().min(1900).max(2100),
});

export type ProgrammeInput = z.infer<typeof programmeBody>;
export type TemplateInput = z.infer<typeof templateBody>;
export type ProgrammeItemInput = z.infer<typeof programmeItemSchema>;
