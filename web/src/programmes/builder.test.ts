import { describe, expect, it } from 'vitest';
import type { ExerciseView } from '../../../src/exercises/schemas.ts';
import type { ProgrammeItemView, ProgrammeView, TemplateView } from '../../../src/programmes/schemas.ts';
import {
  applyTemplate,
  builderFromProgramme,
  builderProblems,
  builderReducer,
  completeBuilderState,
  emptyBuilder,
  localToday,
  nextItemKey,
  toProgrammeBody,
  toTemplateBody,
  type BuilderState,
} from './builder.ts';

function exercise(id: string, overrides: Partial<ExerciseView> = {}): ExerciseView {
  return {
    id,
    source: 'stock',
    own: false,
    sharedBy: null,
    name: `Exercise ${id}`,
    bodyRegion: 'knee',
    equipment: ['none'],
    kind: 'strength',
    description: 'Strengthens the knee.',
    steps: ['Stand tall.', 'Bend the knee.'],
    defaults: { sets: 3, reps: 10, restSeconds: 30 },
    illustrationUrl: `/api/exercises/${id}/illustration`,
    archived: false,
    ...overrides,
  };
}

function programmeItem(exerciseId: string, overrides: Partial<ProgrammeItemView> = {}): ProgrammeItemView {
  return {
    exerciseId,
    sets: 2,
    reps: null,
    durationSeconds: 45,
    holdSeconds: null,
    restSeconds: 15,
    timesPerDay: 2,
    daysPerWeek: null,
    weekdays: [1, 3, 5],
    instructions: 'Keep breathing.',
    exercise: { id: exerciseId, name: `Exercise ${exerciseId}`, bodyRegion: 'hip', equipment: ['mat'], description: '', steps: [], illustrationUrl: null },
    ...overrides,
  };
}

const start = emptyBuilder('2026-11-22');

function withTwo(): BuilderState {
  let state = builderReducer(start, { type: 'add', exercise: exercise('a') });
  state = builderReducer(state, { type: 'add', exercise: exercise('b', { defaults: { sets: 2, durationSeconds: 30, holdSeconds: 30, restSeconds: 15 } }) });
  return state;
}

describe('builderReducer', () => {
  it('adds a picked exercise with its suggested dose, once a day every day', () => {
    const state = withTwo();
    expect(state.items.map((item) => item.key)).toEqual(['item-1', 'item-2']);
    expect(state.items[0]).toMatchObject({ sets: 3, dose: 'reps', reps: 10, restSeconds: 30, timesPerDay: 1, frequency: 'daysPerWeek', daysPerWeek: 7 });
    expect(state.items[1]).toMatchObject({ sets: 2, dose: 'duration', durationSeconds: 30, holdSeconds: 30, restSeconds: 15 });
    expect(state.items[0]!.exercise).toEqual({ id: 'a', name: 'Exercise a', bodyRegion: 'knee', equipment: ['none'], illustrationUrl: '/api/exercises/a/illustration' });
  });

  it('moves items up and down, and not past either end', () => {
    const state = withTwo();
    const down = builderReducer(state, { type: 'move', key: 'item-1', by: 1 });
    expect(down.items.map((item) => item.exercise.id)).toEqual(['b', 'a']);
    expect(builderReducer(down, { type: 'move', key: 'item-1', by: 1 })).toBe(down);
    expect(builderReducer(state, { type: 'move', key: 'item-1', by: -1 })).toBe(state);
  });

  it('removing what was added gives back the starting state, keys included', () => {
    const state = withTwo();
    const back = builderReducer(builderReducer(state, { type: 'remove', key: 'item-2' }), { type: 'remove', key: 'item-1' });
    expect(back).toEqual(start);
    // The same exercise may be picked twice; keys stay apart.
    const twice = builderReducer(builderReducer(start, { type: 'add', exercise: exercise('a') }), { type: 'add', exercise: exercise('a') });
    expect(twice.items.map((item) => item.key)).toEqual(['item-1', 'item-2']);
    expect(nextItemKey(twice.items)).toBe('item-3');
  });

  it('changes one item and the details without touching the rest', () => {
    const state = builderReducer(withTwo(), { type: 'update', key: 'item-2', changes: { sets: 4, frequency: 'weekdays', weekdays: [5, 1] } });
    const titled = builderReducer(state, { type: 'details', changes: { title: 'Knee rehab', trackPain: true } });
    expect(titled.items[0]).toEqual(withTwo().items[0]);
    expect(titled.items[1]).toMatchObject({ sets: 4, frequency: 'weekdays', weekdays: [5, 1] });
    expect(titled).toMatchObject({ title: 'Knee rehab', trackPain: true, trackAdherence: true, startDate: '2026-11-22' });
  });
});

describe('request bodies', () => {
  it('sends only the chosen dose and frequency, weekdays in order, and no empty instructions', () => {
    let state = builderReducer(withTwo(), { type: 'details', changes: { title: '  Knee rehab ', endDate: '2026-12-31' } });
    state = builderReducer(state, { type: 'update', key: 'item-1', changes: { frequency: 'weekdays', weekdays: [5, 1, 3], instructions: '  Slowly.  ' } });
    state = builderReducer(state, { type: 'update', key: 'item-2', changes: { reps: 8 } });
    const body = toProgrammeBody(state);
    expect(body).toEqual({
      title: 'Knee rehab',
      startDate: '2026-11-22',
      endDate: '2026-12-31',
      trackAdherence: true,
      trackPain: false,
      // R-ENG-6: a new programme alerts at pain 7 and after 3 days without activity.
      painAlertAt: 7,
      inactivityAlertDays: 3,
      items: [
        { exerciseId: 'a', sets: 3, reps: 10, durationSeconds: null, holdSeconds: null, restSeconds: 30, timesPerDay: 1, daysPerWeek: null, weekdays: [1, 3, 5], instructions: 'Slowly.' },
        { exerciseId: 'b', sets: 2, reps: null, durationSeconds: 30, holdSeconds: 30, restSeconds: 15, timesPerDay: 1, daysPerWeek: 7, weekdays: null, instructions: null },
      ],
    });
    // A template carries neither dates nor alert settings.
    expect(toTemplateBody(state)).toEqual({ title: body.title, trackAdherence: true, trackPain: false, items: body.items });
    expect(toProgrammeBody({ ...state, endDate: '' }).endDate).toBeNull();
  });
});

describe('builderProblems', () => {
  it('asks for a title, a start date and at least one exercise', () => {
    expect(builderProblems({ ...start, startDate: '' })).toEqual({
      title: 'Give the programme a title.',
      startDate: 'Choose the day the programme starts.',
      items: 'Pick at least one exercise.',
    });
  });

  it('keys item problems like the server does, and templates need no dates', () => {
    let state = builderReducer(withTwo(), { type: 'details', changes: { title: 'Plan', endDate: '2026-11-01' } });
    state = builderReducer(state, { type: 'update', key: 'item-2', changes: { sets: 0, frequency: 'weekdays', weekdays: [] } });
    expect(builderProblems(state)).toEqual({
      endDate: 'The end date cannot be before the start date.',
      'items.1.sets': 'Sets: a whole number from 1 to 50.',
      'items.1.weekdays': 'Choose at least one day, or give days per week instead.',
    });
    expect(Object.keys(builderProblems(state, 'template'))).toEqual(['items.1.sets', 'items.1.weekdays']);
    expect(builderProblems(builderReducer(withTwo(), { type: 'details', changes: { title: 'Plan' } }))).toEqual({});
  });
});

describe('saved programmes, templates and drafts', () => {
  it('opens a saved programme in the builder and sends it back unchanged', () => {
    const programme: ProgrammeView = {
      id: 'p1',
      patientId: 'pt1',
      title: 'Hips',
      state: 'active',
      disabledReason: null,
      code: 'abcdefgh',
      startDate: '2026-11-01',
      endDate: null,
      trackAdherence: false,
      trackPain: true,
      painAlertAt: 5,
      inactivityAlertDays: null,
      items: [programmeItem('x'), programmeItem('y', { reps: 12, durationSeconds: null, weekdays: null, daysPerWeek: 3, instructions: null })],
      assignedAt: '2026-11-01T10:00:00Z',
      endedAt: null,
      updatedAt: '2026-11-01T10:00:00Z',
    };
    const state = builderFromProgramme(programme);
    expect(state.items.map((item) => [item.key, item.dose, item.frequency])).toEqual([
      ['item-1', 'duration', 'weekdays'],
      ['item-2', 'reps', 'daysPerWeek'],
    ]);
    // R-ENG-6: the alert settings come back as they were saved, not as the defaults.
    expect(toProgrammeBody(state)).toEqual({
      title: 'Hips',
      startDate: '2026-11-01',
      endDate: null,
      trackAdherence: false,
      trackPain: true,
      painAlertAt: 5,
      inactivityAlertDays: null,
      items: programme.items.map(({ exercise: _e, ...item }) => item),
    });
    const fortnight = builderFromProgramme({ ...programme, painAlertAt: 0, inactivityAlertDays: 14 });
    expect(toProgrammeBody(fortnight)).toMatchObject({ painAlertAt: 0, inactivityAlertDays: 14 });
    // Switching the inactivity alert back on brings back the days it had.
    const off = builderReducer(fortnight, { type: 'details', changes: { inactivityAlert: false } });
    expect(toProgrammeBody(off).inactivityAlertDays).toBeNull();
    expect(toProgrammeBody(builderReducer(off, { type: 'details', changes: { inactivityAlert: true } })).inactivityAlertDays).toBe(14);
  });

  it('checks the alert settings of a programme, not of a template (R-ENG-6)', () => {
    const state = builderReducer(withTwo(), { type: 'details', changes: { title: 'Plan', painAlertAt: 11, inactivityAlertDays: null } });
    expect(builderProblems(state)).toEqual({
      painAlertAt: 'Pain level: a whole number from 0 to 10.',
      inactivityAlertDays: 'Choose a number of days from 1 to 60, or switch the alert off.',
    });
    expect(builderProblems(state, 'template')).toEqual({});
    expect(builderProblems({ ...state, painAlertAt: null, inactivityAlert: false })).toEqual({ painAlertAt: 'Choose a pain level from 0 to 10.' });
    expect(builderProblems({ ...state, painAlertAt: 0, inactivityAlertDays: 61 })).toEqual({ inactivityAlertDays: 'Days: a whole number from 1 to 60.' });
  });

  it('a template replaces the exercises and switches, and keeps the dates and a typed title', () => {
    const template: TemplateView = { id: 't1', title: 'Standard knee', trackAdherence: false, trackPain: true, items: [programmeItem('z')], createdAt: '', updatedAt: '' };
    const untitled = applyTemplate(withTwo(), template);
    expect(untitled).toMatchObject({ title: 'Standard knee', trackAdherence: false, trackPain: true, startDate: '2026-11-22' });
    // A template has no alert settings: the builder's stay.
    const tuned = applyTemplate({ ...withTwo(), painAlertAt: 4, inactivityAlert: false }, template);
    expect(tuned).toMatchObject({ painAlertAt: 4, inactivityAlert: false, inactivityAlertDays: 3 });
    expect(untitled.items.map((item) => item.exercise.id)).toEqual(['z']);
    expect(applyTemplate({ ...withTwo(), title: 'Mine' }, template).title).toBe('Mine');
    // An exercise the practitioner cannot use is left out.
    const partly: TemplateView = { ...template, items: [{ ...programmeItem('gone'), exercise: null }, programmeItem('y')] };
    expect(applyTemplate(withTwo(), partly).items.map((item) => [item.key, item.exercise.id])).toEqual([['item-1', 'y']]);
  });

  it('restores a draft exactly, and fills in what an older draft lacks', () => {
    const state = builderReducer(withTwo(), { type: 'details', changes: { title: 'Plan' } });
    expect(completeBuilderState(JSON.parse(JSON.stringify(state)), start)).toEqual(state);
    expect(completeBuilderState({ title: 'Old', items: [{ key: 'item-1', exercise: { id: 'q' } }, { nonsense: true }] }, start)).toEqual({
      ...start,
      title: 'Old',
      items: [
        {
          key: 'item-1',
          exercise: { id: 'q', name: 'Exercise', bodyRegion: '', equipment: [], illustrationUrl: null },
          sets: null,
          dose: 'reps',
          reps: null,
          durationSeconds: null,
          holdSeconds: null,
          restSeconds: null,
          timesPerDay: null,
          frequency: 'daysPerWeek',
          daysPerWeek: null,
          weekdays: [],
          instructions: '',
        },
      ],
    });
    expect(completeBuilderState(null, start)).toBe(start);
    // A draft made before the alert settings existed takes them from the saved programme.
    const saved = { ...start, painAlertAt: 5, inactivityAlert: false, inactivityAlertDays: 10 };
    expect(completeBuilderState({ title: 'Old', items: [] }, saved)).toMatchObject({ painAlertAt: 5, inactivityAlert: false, inactivityAlertDays: 10 });
    expect(completeBuilderState({ ...saved, painAlertAt: null }, start).painAlertAt).toBeNull();
  });

  it('writes today in local time', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
