import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, isHeaderRow, parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('reads plain rows with their line numbers, skipping blank lines', () => {
    expect(parseCsv('a,b,c\r\n\r\n1,2,3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 3, fields: ['1', '2', '3'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks; the next record keeps its true line', () => {
    const rows = parseCsv('"Smith, Jr","say ""hi""","two\nlines"\nnext,row,here');
    expect(rows[0]).toEqual({ line: 1, fields: ['Smith, Jr', 'say "hi"', 'two\nlines'] });
    expect(rows[1]).toEqual({ line: 3, fields: ['next', 'row', 'here'] });
  });

  it('keeps empty fields and strips a byte-order mark', () => {
    expect(parseCsv('\ufeffx,,z')).toEqual([{ line: 1, fields: ['x', '', 'z'] }]);
  });

  it('names the line of a broken quote', () => {
    expect(() => parseCsv('ok,row\n"unclosed,field')).toThrow(CsvSyntaxError);
    try {
      parseCsv('ok\n"bad"x,1');
    } catch (err) {
      expect((err as CsvSyntaxError).line).toBe(2);
    }
  });

  it('leniently (the preview) reads a stray quote as it stands and an unclosed one to the end', () => {
    expect(parseCsv('ok\n"bad"x,1', { lenient: true })).toEqual([
      { line: 1, fields: ['ok'] },
      { line: 2, fields: ['badx', '1'] },
    ]);
    expect(parseCsv('a,b\n"open,end', { lenient: true })).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['open,end'] },
    ]);
  });

  it('tells a header row from a patient', () => {
    expect(isHeaderRow(['External ID', 'first_name', 'x'])).toBe(true);
    expect(isHeaderRow(['P-1', 'Ann', 'Example'])).toBe(false);
  });
});
