/**
 * The programme builder's state (R-PRG-1), kept as one plain value so that it can be saved as a
 * draft while the practitioner works and given back exactly (R-SES-2). Every change goes through
 * `builderReducer`; the request bodies and the checks before sending are worked out from the state.
 */
import type { ExerciseView } from '../../../src/exercises/schemas.ts';
import type { ClientInput } from '../../../src/platform/http/contract.ts';
import type { ItemParameters, programmeContracts, ProgrammeItemView, ProgrammeView, TemplateView } from '../../../src/programmes/schemas.ts';

/** The body that assigns or changes a programme, and the one that saves a template. */
export type ProgrammeBody = ClientInput<typeof programmeContracts.assign>['body'];
export type TemplateBody = ClientInput<typeof programmeContracts.createTemplate>['body'];

export type DoseKind = 'reps' | 'duration';
export type FrequencyKind = 'daysPerWeek' | 'weekdays';

/** What the builder shows of a picked exercise, kept with the draft so it can be shown at once. */
export interface BuilderExercise {
  id: string;
  name: string;
  bodyRegion: string;
  equipment: string[];
  illustrationUrl: string | null;
}

/**
 * One exercise with its parameters. Both a repetition count and a duration (and both days a week
 * and chosen weekdays) are kept, so switching back and forth loses nothing; only the chosen one is sent.
 */
export interface BuilderItem {
  /** Tells items apart (the same exercise may be picked twice): "item-1", "item-2", … */
  key: string;
  exercise: BuilderExercise;
  sets: number | null;
  dose: DoseKind;
  reps: number | null;
  durationSeconds: number | null;
  holdSeconds: number | null;
  restSeconds: number | null;
  timesPerDay: number | null;
  frequency: FrequencyKind;
  daysPerWeek: number | null;
  weekdays: number[];
  instructions: string;
}

export interface BuilderState {
  title: string;
  /** YYYY-MM-DD. */
  startDate: string;
  /** YYYY-MM-DD, or '' for no end date. */
  endDate: string;
  trackAdherence: boolean;
  trackPain: boolean;
  /** R-ENG-6: pain at or above this raises an alert; null while the field is empty. */
  painAlertAt: number | null;
  /** R-ENG-6: whether days without an entry raise an alert. */
  inactivityAlert: boolean;
  /** How many days; kept while the alert is off, so switching it back on loses nothing. */
  inactivityAlertDays: number | null;
  items: BuilderItem[];
}

export type ItemChanges = Partial<Omit<BuilderItem, 'key' | 'exercise'>>;
export type DetailChanges = Partial<Omit<BuilderState, 'items'>>;

export type BuilderAction =
  | { type: 'details'; changes: DetailChanges }
  | { type: 'add'; exercise: ExerciseView }
  | { type: 'remove'; key: string }
  | { type: 'move'; key: string; by: -1 | 1 }
  | { type: 'update'; key: string; changes: ItemChanges }
  | { type: 'useTemplate'; template: TemplateView }
  | { type: 'replace'; state: BuilderState };

/** The server's limits (src/programmes/schemas.ts). */
export const LIMITS = {
  title: 200,
  items: 100,
  sets: { min: 1, max: 50 },
  reps: { min: 1, max: 500 },
  durationSeconds: { min: 1, max: 7200 },
  holdSeconds: { min: 1, max: 600 },
  restSeconds: { min: 0, max: 3600 },
  timesPerDay: { min: 1, max: 12 },
  daysPerWeek: { min: 1, max: 7 },
  instructions: 10_000,
  painAlertAt: { min: 0, max: 10 },
  inactivityAlertDays: { min: 1, max: 60 },
} as const;

/** The server's defaults of the alert settings (src/programmes/schemas.ts, R-ENG-6). */
export const ALERT_DEFAULTS = { painAlertAt: 7, inactivityAlertDays: 3 } as const;

/** Today in the person's own time zone, as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function emptyBuilder(today: string): BuilderState {
  return {
    title: '',
    startDate: today,
    endDate: '',
    trackAdherence: true,
    trackPain: false,
    painAlertAt: ALERT_DEFAULTS.painAlertAt,
    inactivityAlert: true,
    inactivityAlertDays: ALERT_DEFAULTS.inactivityAlertDays,
    items: [],
  };
}

/** The key for the next item: one more than the highest in use, so keys stay the same for the same picks. */
export function nextItemKey(items: readonly BuilderItem[]): string {
  const highest = items.reduce((max, item) => Math.max(max, Number(/^item-(\d+)$/.exec(item.key)?.[1] ?? 0)), 0);
  return `item-${highest + 1}`;
}

export function builderExercise(exercise: Pick<ExerciseView, 'id' | 'name' | 'bodyRegion' | 'equipment' | 'illustrationUrl'>): BuilderExercise {
  return {
    id: exercise.id,
    name: exercise.name,
    bodyRegion: exercise.bodyRegion,
    equipment: [...exercise.equipment],
    illustrationUrl: exercise.illustrationUrl,
  };
}

/** A newly picked exercise starts from its suggested dose, once a day, every day. */
export function itemFromExercise(exercise: ExerciseView, key: string): BuilderItem {
  const d = exercise.defaults;
  const byDuration = d.reps === undefined && d.durationSeconds !== undefined;
  return {
    key,
    exercise: builderExercise(exercise),
    sets: d.sets ?? null,
    dose: byDuration ? 'duration' : 'reps',
    reps: d.reps ?? null,
    durationSeconds: d.durationSeconds ?? null,
    holdSeconds: d.holdSeconds ?? null,
    restSeconds: d.restSeconds ?? null,
    timesPerDay: 1,
    frequency: 'daysPerWeek',
    daysPerWeek: 7,
    weekdays: [],
    instructions: '',
  };
}

/** An item of a saved programme or template, back in the builder. */
export function itemFromProgrammeItem(item: ProgrammeItemView, key: string): BuilderItem {
  const e = item.exercise;
  return {
    key,
    exercise: {
      id: item.exerciseId,
      name: e?.name ?? 'Exercise no longer available',
      bodyRegion: e?.bodyRegion ?? '',
      equipment: e ? [...e.equipment] : [],
      illustrationUrl: e?.illustrationUrl ?? null,
    },
    sets: item.sets,
    dose: item.reps === null && item.durationSeconds !== null ? 'duration' : 'reps',
    reps: item.reps,
    durationSeconds: item.durationSeconds,
    holdSeconds: item.holdSeconds,
    restSeconds: item.restSeconds,
    timesPerDay: item.timesPerDay,
    frequency: item.weekdays !== null && item.weekdays.length > 0 ? 'weekdays' : 'daysPerWeek',
    daysPerWeek: item.daysPerWeek,
    weekdays: item.weekdays ? [...item.weekdays] : [],
    instructions: item.instructions ?? '',
  };
}

export function builderFromProgramme(programme: ProgrammeView): BuilderState {
  return {
    title: programme.title,
    startDate: programme.startDate,
    endDate: programme.endDate ?? '',
    trackAdherence: programme.trackAdherence,
    trackPain: programme.trackPain,
    painAlertAt: programme.painAlertAt,
    inactivityAlert: programme.inactivityAlertDays !== null,
    inactivityAlertDays: programme.inactivityAlertDays ?? ALERT_DEFAULTS.inactivityAlertDays,
    items: programme.items.map((item, index) => itemFromProgrammeItem(item, `item-${index + 1}`)),
  };
}

/**
 * A template's exercises and switches replace the builder's; the dates, the alert settings (a
 * template has none) and a title already typed stay. Exercises the practitioner cannot use (deleted, or not shared with them) are left out.
 */
export function applyTemplate(state: BuilderState, template: TemplateView): BuilderState {
  return {
    ...state,
    title: state.title.trim() === '' ? template.title : state.title,
    trackAdherence: template.trackAdherence,
    trackPain: template.trackPain,
    items: template.items.filter((item) => item.exercise !== null).map((item, index) => itemFromProgrammeItem(item, `item-${index + 1}`)),
  };
}

export function builderReducer(state: BuilderState, action: BuilderAction): BuilderState {
  switch (action.type) {
    case 'details':
      return { ...state, ...action.changes };
    case 'add':
      if (state.items.length >= LIMITS.items) return state;
      return { ...state, items: [...state.items, itemFromExercise(action.exercise, nextItemKey(state.items))] };
    case 'remove':
      return { ...state, items: state.items.filter((item) => item.key !== action.key) };
    case 'move': {
      const from = state.items.findIndex((item) => item.key === action.key);
      const to = from + action.by;
      if (from < 0 || to < 0 || to >= state.items.length) return state;
      const items = [...state.items];
      const [moved] = items.splice(from, 1);
      items.splice(to, 0, moved!);
      return { ...state, items };
    }
    case 'update':
      return { ...state, items: state.items.map((item) => (item.key === action.key ? { ...item, ...action.changes } : item)) };
    case 'useTemplate':
      return applyTemplate(state, action.template);
    case 'replace':
      return action.state;
  }
}

/** The parameters the API receives for an item: only the chosen dose and frequency. */
export function itemParameters(item: BuilderItem): ItemParameters {
  const instructions = item.instructions.trim();
  return {
    sets: item.sets,
    reps: item.dose === 'reps' ? item.reps : null,
    durationSeconds: item.dose === 'duration' ? item.durationSeconds : null,
    holdSeconds: item.holdSeconds,
    restSeconds: item.restSeconds,
    timesPerDay: item.timesPerDay,
    daysPerWeek: item.frequency === 'daysPerWeek' ? item.daysPerWeek : null,
    weekdays: item.frequency === 'weekdays' && item.weekdays.length > 0 ? [...item.weekdays].sort((a, b) => a - b) : null,
    instructions: instructions === '' ? null : instructions,
  };
}

export function toProgrammeBody(state: BuilderState): ProgrammeBody {
  return {
    title: state.title.trim(),
    startDate: state.startDate,
    endDate: state.endDate === '' ? null : state.endDate,
    trackAdherence: state.trackAdherence,
    trackPain: state.trackPain,
    painAlertAt: state.painAlertAt ?? ALERT_DEFAULTS.painAlertAt,
    inactivityAlertDays: state.inactivityAlert ? (state.inactivityAlertDays ?? ALERT_DEFAULTS.inactivityAlertDays) : null,
    items: state.items.map((item) => ({ exerciseId: item.exercise.id, ...itemParameters(item) })),
  };
}

/** A template keeps the exercises and switches, not the dates or the alert settings. */
export function toTemplateBody(state: BuilderState): TemplateBody {
  const { startDate: _start, endDate: _end, painAlertAt: _pain, inactivityAlertDays: _inactive, ...rest } = toProgrammeBody(state);
  return rest;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkNumber(errors: Record<string, string>, path: string, value: number | null, range: { min: number; max: number }, what: string) {
  if (value === null) return;
  if (!Number.isInteger(value) || value < range.min || value > range.max) errors[path] = `${what}: a whole number from ${range.min} to ${range.max}.`;
}

/**
 * What stops the programme being sent, keyed like the server's field paths ("title",
 * "items.0.sets"), so the server's own messages land in the same places. Templates have no dates.
 */
export function builderProblems(state: BuilderState, what: 'programme' | 'template' = 'programme'): Record<string, string> {
  const errors: Record<string, string> = {};
  const title = state.title.trim();
  if (title === '') errors.title = 'Give the programme a title.';
  else if (title.length > LIMITS.title) errors.title = `Use at most ${LIMITS.title} characters.`;
  if (what === 'programme') {
    if (!DATE.test(state.startDate)) errors.startDate = 'Choose the day the programme starts.';
    if (state.endDate !== '' && !DATE.test(state.endDate)) errors.endDate = 'Choose a day, or leave it empty for no end date.';
    else if (state.endDate !== '' && DATE.test(state.startDate) && state.endDate < state.startDate) errors.endDate = 'The end date cannot be before the start date.';
    if (state.painAlertAt === null) errors.painAlertAt = `Choose a pain level from ${LIMITS.painAlertAt.min} to ${LIMITS.painAlertAt.max}.`;
    else checkNumber(errors, 'painAlertAt', state.painAlertAt, LIMITS.painAlertAt, 'Pain level');
    if (state.inactivityAlert) {
      if (state.inactivityAlertDays === null) errors.inactivityAlertDays = `Choose a number of days from ${LIMITS.inactivityAlertDays.min} to ${LIMITS.inactivityAlertDays.max}, or switch the alert off.`;
      else checkNumber(errors, 'inactivityAlertDays', state.inactivityAlertDays, LIMITS.inactivityAlertDays, 'Days');
    }
  }
  if (state.items.length === 0) errors.items = 'Pick at least one exercise.';
  else if (state.items.length > LIMITS.items) errors.items = `A programme holds at most ${LIMITS.items} exercises.`;
  state.items.forEach((item, index) => {
    const at = (field: string) => `items.${index}.${field}`;
    const p = itemParameters(item);
    checkNumber(errors, at('sets'), p.sets, LIMITS.sets, 'Sets');
    checkNumber(errors, at('reps'), p.reps, LIMITS.reps, 'Repetitions');
    checkNumber(errors, at('durationSeconds'), p.durationSeconds, LIMITS.durationSeconds, 'Duration in seconds');
    checkNumber(errors, at('holdSeconds'), p.holdSeconds, LIMITS.holdSeconds, 'Hold in seconds');
    checkNumber(errors, at('restSeconds'), p.restSeconds, LIMITS.restSeconds, 'Rest in seconds');
    checkNumber(errors, at('timesPerDay'), p.timesPerDay, LIMITS.timesPerDay, 'Times per day');
    checkNumber(errors, at('daysPerWeek'), p.daysPerWeek, LIMITS.daysPerWeek, 'Days per week');
    if (item.frequency === 'weekdays' && item.weekdays.length === 0) errors[at('weekdays')] = 'Choose at least one day, or give days per week instead.';
    if (item.instructions.length > LIMITS.instructions) errors[at('instructions')] = `Use at most ${LIMITS.instructions} characters.`;
  });
  return errors;
}

// Restoring a draft: it may come from an older version of the builder, so every field is checked.

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function completeItem(value: unknown): BuilderItem | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const e = (v.exercise && typeof v.exercise === 'object' ? v.exercise : {}) as Record<string, unknown>;
  if (typeof v.key !== 'string' || typeof e.id !== 'string') return null;
  return {
    key: v.key,
    exercise: {
      id: e.id,
      name: text(e.name, 'Exercise'),
      bodyRegion: text(e.bodyRegion, ''),
      equipment: Array.isArray(e.equipment) ? e.equipment.filter((x): x is string => typeof x === 'string') : [],
      illustrationUrl: typeof e.illustrationUrl === 'string' ? e.illustrationUrl : null,
    },
    sets: numberOrNull(v.sets),
    dose: v.dose === 'duration' ? 'duration' : 'reps',
    reps: numberOrNull(v.reps),
    durationSeconds: numberOrNull(v.durationSeconds),
    holdSeconds: numberOrNull(v.holdSeconds),
    restSeconds: numberOrNull(v.restSeconds),
    timesPerDay: numberOrNull(v.timesPerDay),
    frequency: v.frequency === 'weekdays' ? 'weekdays' : 'daysPerWeek',
    daysPerWeek: numberOrNull(v.daysPerWeek),
    weekdays: Array.isArray(v.weekdays) ? v.weekdays.filter((d): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 7) : [],
    instructions: text(v.instructions, ''),
  };
}

/** A restored draft as a full builder state; what cannot be read falls back to `fallback`. */
export function completeBuilderState(data: unknown, fallback: BuilderState): BuilderState {
  if (!data || typeof data !== 'object') return fallback;
  const d = data as Record<string, unknown>;
  const items = Array.isArray(d.items) ? d.items.map(completeItem).filter((item): item is BuilderItem => item !== null) : fallback.items;
  return {
    title: text(d.title, fallback.title),
    startDate: text(d.startDate, fallback.startDate),
    endDate: text(d.endDate, fallback.endDate),
    trackAdherence: typeof d.trackAdherence === 'boolean' ? d.trackAdherence : fallback.trackAdherence,
    trackPain: typeof d.trackPain === 'boolean' ? d.trackPain : fallback.trackPain,
    painAlertAt: 'painAlertAt' in d ? numberOrNull(d.painAlertAt) : fallback.painAlertAt,
    inactivityAlert: typeof d.inactivityAlert === 'boolean' ? d.inactivityAlert : fallback.inactivityAlert,
    inactivityAlertDays: 'inactivityAlertDays' in d ? numberOrNull(d.inactivityAlertDays) : fallback.inactivityAlertDays,
    items,
  };
}
