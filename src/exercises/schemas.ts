import { z } from 'zod';

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
