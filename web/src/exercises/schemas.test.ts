import { describe, expect, it } from 'vitest';
import { equipmentSummary, kindLabel, regionLabel } from './catalogue.ts';
import { queryString } from '../app/api.ts';
import { exercisesQuery, NO_EXERCISE_FILTERS } from './filters.ts';
import { customExerciseSchema, stepsFrom } from './schemas.ts';

describe('custom exercise form', () => {
  it('takes one step per line, leaving out blank lines and spaces around', () => {
    expect(stepsFrom('  Sit tall.\n\nSlide the towel.  \n')).toEqual(['Sit tall.', 'Slide the towel.']);
  });

  it('asks for a name and a body region, and at most 20 steps', () => {
    const base = { name: 'Towel slide', bodyRegion: 'knee', kind: 'strength', equipment: [], description: '', steps: '' };
    expect(customExerciseSchema.safeParse(base).success).toBe(true);
    const fields = (values: object) => {
      const result = customExerciseSchema.safeParse({ ...base, ...values });
      return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    };
    expect(fields({ name: ' ', bodyRegion: '' })).toEqual(['name', 'bodyRegion']);
    expect(fields({ steps: Array.from({ length: 21 }, (_, i) => `Step ${i}`).join('\n') })).toEqual(['steps']);
  });
});

describe('library vocabulary and filters', () => {
  it('reads the labels of the shared vocabulary', () => {
    expect(regionLabel('ankle_foot')).toBe('Ankle and foot');
    expect(kindLabel('motor_control')).toBe('Motor control');
    expect(equipmentSummary(['none'])).toBe('No equipment');
    expect(equipmentSummary(['chair', 'resistance_band'])).toBe('Chair, Resistance band');
    expect(regionLabel('something_new')).toBe('something new');
  });

  it('sends only the filters that are set', () => {
    expect(queryString(exercisesQuery(NO_EXERCISE_FILTERS, { limit: 24, offset: 0 }))).toBe('limit=24&offset=0');
    expect(queryString(exercisesQuery({ search: ' squat ', region: 'knee', equipment: 'chair', kind: '', source: 'custom' }, { limit: 10, offset: 20 }))).toBe(
      'search=squat&region=knee&equipment=chair&source=custom&limit=10&offset=20',
    );
  });
});
