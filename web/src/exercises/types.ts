/** Shapes of the exercise library API (src/exercises/service.ts). */

/** Suggested parameters a practitioner starts from: repetitions or a duration, never both. */
export interface ExerciseDefaults {
  sets: number;
  reps?: number;
  holdSeconds?: number;
  durationSeconds?: number;
  restSeconds: number;
}

export interface Exercise {
  id: string;
  /** Stock exercises ship with Motus; custom ones are a practitioner's own (or shared with them). */
  source: 'stock' | 'custom';
  /** The caller made it. */
  own: boolean;
  name: string;
  bodyRegion: string;
  equipment: string[];
  kind: string;
  description: string;
  steps: string[];
  defaults: ExerciseDefaults;
  /** A public SVG (stock) or the uploaded image; null when there is none. */
  illustrationUrl: string | null;
  archived: boolean;
}

export interface ExerciseFilterValues {
  search: string;
  /** '' for every region. */
  region: string;
  /** '' for any equipment. */
  equipment: string;
  /** '' for every kind. */
  kind: string;
  source: 'all' | 'stock' | 'custom';
}

export const NO_EXERCISE_FILTERS: ExerciseFilterValues = { search: '', region: '', equipment: '', kind: '', source: 'all' };
