import { describe, expect, it } from 'vitest';
import { exampleImportCsv, IMPORT_COLUMNS, isHeaderRow, previewImport, readCsvRecords } from './imports.ts';

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
