import { z } from 'zod';
import { defineContract } from '../platform/http/contract.ts';

export const exercisesQuery = z.strictObject({
  search: z.string().trim().max(200).optional(),
  region: z.string().trim().max(40).optional(),
  equipment: z.string().trim().max(40).optional(),
  kind: z.string().trim().max(40).optional(),
  source: z.enum(['all', 'stock', 'custom']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const exerciseParams = z.strictObject({ exerciseId: z.uuid({ message: 'Not an exercise id.' }) });

/** R-EXE-1: a practitioner's own exercise (its image is uploaded separately). */
export const customExerciseBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  bodyRegion: z.string().trim().min(1).max(40),
  equipment: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
  kind: z.string().trim().min(1).max(40).default('strength'),
  description: z.string().trim().max(10_000).default(''),
  steps: z.array(z.string().trim().min(1).max(1000)).max(20).default([]),
});

export type CustomExerciseInput = z.infer<typeof customExerciseBody>;
export type ExercisesFilter = z.output<typeof exercisesQuery>;
export type ExerciseSource = ExercisesFilter['source'];

/** Suggested parameters a practitioner starts from: repetitions or a duration, never both. */
export const exerciseDefaultsView = z.object({
  sets: z.number().int(),
  reps: z.number().int().optional(),
  holdSeconds: z.number().int().optional(),
  durationSeconds: z.number().int().optional(),
  restSeconds: z.number().int(),
});
export type ExerciseDefaults = z.infer<typeof exerciseDefaultsView>;

/** R-EXE-1: an exercise of the library as the API answers it. */
export const exerciseView = z.object({
  id: z.uuid(),
  /** Stock exercises ship with Motus; custom ones are a practitioner's own (or shared with them). */
  source: z.enum(['stock', 'custom']),
  /** The caller made it. */
  own: z.boolean(),
  /** Initials of the account a shared exercise comes from; it is read-only here (R-SHR-2). */
  sharedBy: z.string().nullable(),
  name: z.string(),
  bodyRegion: z.string(),
  equipment: z.array(z.string()),
  kind: z.string(),
  description: z.string(),
  steps: z.array(z.string()),
  defaults: exerciseDefaultsView,
  /** A public SVG (stock) or the uploaded image; null when there is none. */
  illustrationUrl: z.string().nullable(),
  archived: z.boolean(),
});
export type ExerciseView = z.infer<typeof exerciseView>;

const oneExercise = z.object({ exercise: exerciseView });
const tags = ['exercises'];
const exerciseSubject = { exerciseId: 'exercise' } as const;

/** The exercise library (R-EXE-1): the stock library and a practitioner's own exercises. */
export const exerciseContracts = {
  list: defineContract({
    method: 'GET',
    path: '/api/exercises',
    access: 'practitioner',
    tags,
    summary: 'The exercise library: stock and your own, searchable and filterable (R-EXE-1)',
    query: exercisesQuery,
    response: z.object({ exercises: z.array(exerciseView), total: z.number().int() }),
  }),
  create: defineContract({
    method: 'POST',
    path: '/api/exercises',
    access: 'practitioner',
    tags,
    summary: 'Create a custom exercise (R-EXE-1)',
    body: customExerciseBody,
    example: { name: 'Step-down from a low box', bodyRegion: 'knee', equipment: ['step'], kind: 'strength', description: 'Control the knee over the toes.', steps: ['Stand on the box.', 'Lower the other heel to the floor slowly.'] },
    status: 201,
    response: oneExercise,
  }),
  get: defineContract({
    method: 'GET',
    path: '/api/exercises/:exerciseId',
    access: 'practitioner',
    tags,
    summary: 'One exercise',
    params: exerciseParams,
    subjects: exerciseSubject,
    response: oneExercise,
  }),
  setImage: defineContract({
    method: 'PUT',
    path: '/api/exercises/:exerciseId/image',
    access: 'practitioner',
    tags,
    summary: 'Set the image of your custom exercise (PNG, JPEG or WebP, at most 2 MB; multipart field "image")',
    params: exerciseParams,
    subjects: exerciseSubject,
    body: 'multipart',
    response: oneExercise,
  }),
  removeImage: defineContract({
    method: 'DELETE',
    path: '/api/exercises/:exerciseId/image',
    access: 'practitioner',
    tags,
    summary: 'Remove the image of your custom exercise',
    params: exerciseParams,
    subjects: exerciseSubject,
    response: oneExercise,
  }),
  // Stock drawings are public (the patient's page shows them, and they hold nothing personal); a
  // custom exercise's image needs a practitioner who may use the exercise.
  illustration: defineContract({
    method: 'GET',
    path: '/api/exercises/:exerciseId/illustration',
    access: 'optionalSession',
    tags,
    summary: "An exercise's illustration (SVG for stock exercises)",
    params: exerciseParams,
    subjects: exerciseSubject,
    response: { raw: 'image/*', description: 'The drawing of a stock exercise (image/svg+xml), or the PNG, JPEG or WebP image of a custom exercise' },
  }),
};
