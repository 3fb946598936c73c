import { describe, expect, it } from 'vitest';
import type { SharingSettingsView } from '../../../src/sharing/schemas.ts';
import {
  describeCounts,
  EMPTY_SELECTION,
  exampleImportCsv,
  filterPatients,
  IMPORT_COLUMNS,
  isHeaderRow,
  previewImport,
  readCsvRecords,
  selectAllState,
  selectionSize,
  setItems,
  sharingBodyFrom,
  toggleItem,
  transferBody,
  transferDoneMessage,
  withContentAccount,
} from './clinical.ts';

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

describe('patient import file', () => {
  it('counts the patient rows, leaving out a header row and empty lines', () => {
    expect(previewImport('external id,first name,last name,year of birth\r\nA1,Ann,Example,1958\r\n\r\n,Bob,Sample,1972\r\n')).toEqual({ rows: 2, header: true });
    expect(previewImport('A1,Ann,Example,1958\nA2,Bob,Sample,1972')).toEqual({ rows: 2, header: false });
    expect(previewImport('')).toEqual({ rows: 0, header: false });
    expect(previewImport('\uFEFFExternal_ID,First Name\n1,2')).toEqual({ rows: 1, header: true });
  });

  it('reads quoted fields with commas, quotes and line breaks as one row, on the line it starts', () => {
    const records = readCsvRecords('A1,"Ann, Jr","Ex""ample",1958\nA2,"Bob\nSecond line",Sample,1972\nA3,Cleo,Demo,1990');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(records[0]!.fields).toEqual(['A1', 'Ann, Jr', 'Ex"ample', '1958']);
    expect(records[1]!.fields[1]).toBe('Bob\nSecond line');
    expect(previewImport('A1,"unclosed\nA2,x,y,1990').rows).toBe(1);
  });

  it('offers an example file with the columns in order and three patients', () => {
    const example = exampleImportCsv();
    const records = readCsvRecords(example);
    expect(records[0]!.fields).toEqual(IMPORT_COLUMNS.map((c) => c.name));
    expect(isHeaderRow(records[0]!.fields)).toBe(true);
    expect(records.slice(1).every((r) => r.fields.length === IMPORT_COLUMNS.length)).toBe(true);
    expect(previewImport(example)).toEqual({ rows: 3, header: true });
  });
});

describe('sharing settings', () => {
  const settings: SharingSettingsView = {
    sharePatients: true,
    shareContent: false,
    groupMemberIds: ['a', 'gone'],
    contentAccountMemberId: 'b',
    contentRecipientIds: ['a', 'b', 'gone'],
    practitioners: [
      { id: 'a', name: 'Ann' },
      { id: 'b', name: 'Bob' },
      { id: 'c', name: 'Cleo' },
    ],
  };

  it('keeps only active practitioners, and not the content account among its recipients', () => {
    expect(sharingBodyFrom(settings)).toEqual({ sharePatients: true, shareContent: false, groupMemberIds: ['a'], contentAccountMemberId: 'b', contentRecipientIds: ['a'] });
    expect(sharingBodyFrom({ ...settings, contentAccountMemberId: 'gone' }).contentAccountMemberId).toBeNull();
    expect(sharingBodyFrom({ ...settings, contentAccountMemberId: 'gone' }).contentRecipientIds).toEqual([]);
  });

  it('changes the content account', () => {
    const body = sharingBodyFrom(settings);
    expect(withContentAccount(body, 'a').contentRecipientIds).toEqual([]);
    expect(withContentAccount({ ...body, contentRecipientIds: ['a', 'c'] }, 'c').contentRecipientIds).toEqual(['a']);
    expect(withContentAccount(body, null)).toMatchObject({ contentAccountMemberId: null, contentRecipientIds: [] });
  });
});
