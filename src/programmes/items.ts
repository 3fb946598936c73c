import type { Deps } from '../deps.ts';
import { exercisesForItems, usableExerciseIds } from '../exercises/data.ts';
import { formatLocalDate, localDateIn } from '../licences/proration.ts';
import type { Queryable } from '../platform/db/database.ts';
import type { ProgrammeItem, ProgrammesTable } from '../platform/db/schema.ts';
import { ValidationError } from '../platform/errors.ts';
import type { ItemExercise, ProgrammeItemInput, ProgrammeState } from './schemas.ts';

/** R-PRG-3: a programme past its end date reads as ended from the day after. */
export function effectiveState(p: Pick<ProgrammesTable, 'state' | 'end_date'>, today: string): ProgrammeState {
  if (p.state === 'active' && p.end_date !== null && p.end_date < today) return 'ended';
  return p.state;
}

/** Today's date where the installation bills (programme dates are local dates). */
export function programmeToday({ clock, config }: Pick<Deps, 'clock' | 'config'>): string {
  return formatLocalDate(localDateIn(clock.now(), config.billing.timeZone));
}

/** The items as stored: the weekdays in order. */
export function normaliseItems(items: ProgrammeItemInput[]): ProgrammeItem[] {
  return items.map((i) => ({
    exerciseId: i.exerciseId,
    sets: i.sets,
    reps: i.reps,
    durationSeconds: i.durationSeconds,
    holdSeconds: i.holdSeconds,
    restSeconds: i.restSeconds,
    timesPerDay: i.timesPerDay,
    daysPerWeek: i.daysPerWeek,
    weekdays: i.weekdays ? [...i.weekdays].sort((a, b) => a - b) : null,
    instructions: i.instructions,
  }));
}

/** Every exercise must be one the practitioner may use: stock, their own, or shared with them (R-EXE-1, R-SHR-1). */
export async function checkExercises(q: Queryable, accountId: string, items: ProgrammeItem[]): Promise<void> {
  const ids = [...new Set(items.map((i) => i.exerciseId))];
  const found = await usableExerciseIds(q, accountId, ids);
  const known = new Set(found.map((f) => f.id));
  const missing = items.findIndex((i) => !known.has(i.exerciseId));
  if (missing >= 0) throw ValidationError.field(`body.items.${missing}.exerciseId`, 'unknown_exercise', 'This exercise is not in your library.');
}

/**
 * The items with their exercises. For the patient's page (`forPatient`) a custom exercise's image
 * travels inside the answer, as the patient has no session to fetch it with. With `onlyUsableBy`,
 * an exercise that account may not use shows as null.
 */
export async function describeItems(q: Queryable, items: ProgrammeItem[], forPatient = false, onlyUsableBy?: string): Promise<Array<ProgrammeItem & { exercise: ItemExercise | null }>> {
  if (items.length === 0) return [];
  const rows = await exercisesForItems(q, [...new Set(items.map((i) => i.exerciseId))], forPatient, onlyUsableBy);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pictureOf = (e: (typeof rows)[number]) => {
    if (e.slug) return `/api/exercises/${e.id}/illustration`;
    if (!e.image_mime) return null;
    if (!forPatient) return `/api/exercises/${e.id}/illustration`;
    const image = (e as { image?: Buffer | null }).image;
    return image ? `data:${e.image_mime};base64,${image.toString('base64')}` : null;
  };
  return items.map((i) => {
    const e = byId.get(i.exerciseId);
    return {
      ...i,
      exercise: e ? { id: e.id, name: e.name, bodyRegion: e.body_region, equipment: e.equipment, description: e.description, steps: e.steps, illustrationUrl: pictureOf(e) } : null,
    };
  });
}
