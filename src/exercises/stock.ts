import type { StockExercise } from './catalogue.ts';
import { ANKLE_FOOT } from './stock/ankle-foot.ts';
import { BALANCE } from './stock/balance.ts';
import { CORE } from './stock/core.ts';
import { ELBOW } from './stock/elbow.ts';
import { FULL_BODY } from './stock/full-body.ts';
import { HIP } from './stock/hip.ts';
import { KNEE } from './stock/knee.ts';
import { LOWER_BACK } from './stock/lower-back.ts';
import { NECK } from './stock/neck.ts';
import { SHOULDER } from './stock/shoulder.ts';
import { UPPER_BACK } from './stock/upper-back.ts';
import { WRIST_HAND } from './stock/wrist-hand.ts';

export { BODY_REGIONS, EQUIPMENT, EXERCISE_KINDS } from './catalogue.ts';
export type { BodyRegion, Equipment, ExerciseDefaults, ExerciseKind, StockExercise } from './catalogue.ts';
export type { Pose } from './pose.ts';

/**
 * R-EXE-1: the exercise library that ships with Motus, written for this project. Each region's
 * exercises live in their own file under stock/. Slugs are permanent identifiers: an exercise may
 * be reworded, but its slug never changes and is never reused.
 */
export const STOCK_EXERCISES: readonly StockExercise[] = [
  ...NECK,
  ...SHOULDER,
  ...ELBOW,
  ...WRIST_HAND,
  ...UPPER_BACK,
  ...LOWER_BACK,
  ...CORE,
  ...HIP,
  ...KNEE,
  ...ANKLE_FOOT,
  ...BALANCE,
  ...FULL_BODY,
];
