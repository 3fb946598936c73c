import type { Pose } from './pose.ts';

/**
 * The vocabulary of the exercise library (R-EXE-1): body regions, equipment and kinds of exercise,
 * each with the label people read. The values are stored in the database and used in filters, so
 * they never change; labels may.
 */

export const BODY_REGIONS = [
  { value: 'neck', label: 'Neck' },
  { value: 'shoulder', label: 'Shoulder' },
  { value: 'elbow', label: 'Elbow and forearm' },
  { value: 'wrist_hand', label: 'Wrist and hand' },
  { value: 'upper_back', label: 'Upper back' },
  { value: 'lower_back', label: 'Lower back' },
  { value: 'core', label: 'Core' },
  { value: 'hip', label: 'Hip' },
  { value: 'knee', label: 'Knee' },
  { value: 'ankle_foot', label: 'Ankle and foot' },
  { value: 'balance', label: 'Balance' },
  { value: 'full_body', label: 'Full body' },
] as const;

export const EQUIPMENT = [
  { value: 'none', label: 'No equipment' },
  { value: 'chair', label: 'Chair' },
  { value: 'resistance_band', label: 'Resistance band' },
  { value: 'dumbbell', label: 'Dumbbell or light weight' },
  { value: 'towel', label: 'Towel' },
  { value: 'wall', label: 'Wall' },
  { value: 'step', label: 'Step or stair' },
  { value: 'ball', label: 'Ball' },
  { value: 'mat', label: 'Mat' },
  { value: 'table', label: 'Table or bed' },
] as const;

export const EXERCISE_KINDS = [
  { value: 'strength', label: 'Strength' },
  { value: 'mobility', label: 'Mobility' },
  { value: 'stretch', label: 'Stretch' },
  { value: 'balance', label: 'Balance' },
  { value: 'motor_control', label: 'Motor control' },
  { value: 'cardio', label: 'Cardio' },
] as const;

export type BodyRegion = (typeof BODY_REGIONS)[number]['value'];
export type Equipment = (typeof EQUIPMENT)[number]['value'];
export type ExerciseKind = (typeof EXERCISE_KINDS)[number]['value'];

/** Suggested parameters a practitioner starts from: repetitions or a duration, never both. */
export interface ExerciseDefaults {
  sets: number;
  reps?: number;
  holdSeconds?: number;
  durationSeconds?: number;
  restSeconds: number;
}

export interface StockExercise {
  /** Permanent identifier: stored with every installation's copy, so it never changes once shipped. */
  slug: string;
  name: string;
  bodyRegion: BodyRegion;
  /** `['none']` when nothing is needed. */
  equipment: readonly Equipment[];
  kind: ExerciseKind;
  /** What the exercise is for, in words a patient understands. */
  description: string;
  /** Patient-facing instructions, one action per step. */
  steps: readonly string[];
  defaults: ExerciseDefaults;
  pose: Pose;
}

/** A region's exercises, written without repeating the region on each. */
export type RegionExercise = Omit<StockExercise, 'bodyRegion'>;

export function inRegion(bodyRegion: BodyRegion, exercises: readonly RegionExercise[]): StockExercise[] {
  return exercises.map((e) => ({ ...e, bodyRegion }));
}
