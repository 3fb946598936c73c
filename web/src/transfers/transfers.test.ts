import { describe, expect, it } from 'vitest';
import {
  describeCounts,
  EMPTY_SELECTION,
  filterPatients,
  selectAllState,
  selectionSize,
  setItems,
  toggleItem,
  transferBody,
  transferDoneMessage,
} from './transfers.ts';

describe('transfer selection', () => {
  it('ticks and unticks items without touching the other kinds', () => {
    let s = toggleItem(EMPTY_SELECTION, 'patientIds', 'p1', true);
    s = toggleItem(s, 'templateIds', 't1', true);
    s = toggleItem(s, 'patientIds', 'p2', true);
    s = toggleItem(s, 'patientIds', 'p1', false);
    expect([...s.patientIds]).toEqual(['p2']);
    expect([...s.templateIds]).toEqual(['t1']);
    expect(selectionSize(s)).toBe(2);
    expect(EMPTY_SELECTION.patientIds.size).toBe(0);
  });

  it('selects all of a filtered list and keeps what was ticked outside it', () => {
    let s = toggleItem(EMPTY_SELECTION, 'patientIds', 'outside', true);
    s = setItems(s, 'patientIds', ['a', 'b'], true);
    expect(selectAllState(s.patientIds, ['a', 'b'])).toEqual({ checked: true, indeterminate: false });
    s = toggleItem(s, 'patientIds', 'a', false);
    expect(selectAllState(s.patientIds, ['a', 'b'])).toEqual({ checked: false, indeterminate: true });
    s = setItems(s, 'patientIds', ['a', 'b'], false);
    expect([...s.patientIds]).toEqual(['outside']);
    expect(selectAllState(s.patientIds, [])).toEqual({ checked: false, indeterminate: false });
  });

  it('builds the request body', () => {
    const s = setItems(toggleItem(EMPTY_SELECTION, 'exerciseIds', 'e1', true), 'patientIds', ['p1', 'p2'], true);
    expect(transferBody('m2', s)).toEqual({ toMemberId: 'm2', patientIds: ['p1', 'p2'], exerciseIds: ['e1'], templateIds: [] });
  });

  it('finds patients by name, in any order, or by year of birth', () => {
    const patients = [
      { id: '1', firstName: 'Ann', lastName: 'Example', yearOfBirth: 1958 },
      { id: '2', firstName: 'Bob', lastName: 'Sample', yearOfBirth: 1972 },
    ];
    expect(filterPatients(patients, '').map((p) => p.id)).toEqual(['1', '2']);
    expect(filterPatients(patients, 'example ann').map((p) => p.id)).toEqual(['1']);
    expect(filterPatients(patients, ' SAM ').map((p) => p.id)).toEqual(['2']);
    expect(filterPatients(patients, '1972').map((p) => p.id)).toEqual(['2']);
    expect(filterPatients(patients, 'zed')).toEqual([]);
  });

  it('says what moved', () => {
    expect(describeCounts({ patients: 0, exercises: 0, templates: 0 })).toBe('nothing');
    expect(describeCounts({ patients: 1, exercises: 0, templates: 0 })).toBe('1 patient');
    expect(describeCounts({ patients: 2, exercises: 1, templates: 3 })).toBe('2 patients, 1 custom exercise and 3 templates');
    expect(transferDoneMessage({ transferId: 't', patients: 2, exercises: 0, templates: 1 }, 'Max Muster')).toBe(
      '2 patients and 1 template moved to Max Muster. Their programmes stay active with the same codes.',
    );
    expect(transferDoneMessage({ transferId: 't', patients: 0, exercises: 1, templates: 0 }, 'Max')).toBe('1 custom exercise moved to Max.');
  });
});
