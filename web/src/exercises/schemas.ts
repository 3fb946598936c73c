/** The custom exercise form's checks, mirroring the server's rules (src/exercises/schemas.ts). */
import { z } from 'zod';

/** One step per line, blank lines left out. */
export function stepsFrom(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const STEPS_MAX = 20;

export const customExerciseSchema = z.object({
  name: z.string().trim().min(1, 'Give the exercise a name.').max(200, 'Use at most 200 characters.'),
  bodyRegion: z.string().min(1, 'Choose the body region.'),
  kind: z.string().min(1, 'Choose the kind of exercise.'),
  equipment: z.array(z.string()).max(10, 'Tick at most 10.'),
  description: z.string().trim().max(10_000, 'Use at most 10,000 characters.'),
  steps: z
    .string()
    .refine((value) => stepsFrom(value).length <= STEPS_MAX, `Write at most ${STEPS_MAX} steps.`)
    .refine((value) => stepsFrom(value).every((step) => step.length <= 1000), 'Keep each step under 1,000 characters.'),
});

export type CustomExerciseValues = z.input<typeof customExerciseSchema>;
