import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from './csv.ts';

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
});
