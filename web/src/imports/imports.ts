/** Pure helpers of the patient import: the import file (its columns, a preview count of its rows, an example file) and its status. */
import { isHeaderRow, parseCsv, type CsvRecord } from '../../../src/imports/csv.ts';
import { IMPORT_COLUMNS as COLUMN_NAMES, IMPORT_MAX_CHARS } from '../../../src/imports/schemas.ts';

const COLUMN_NOTES: Record<(typeof COLUMN_NAMES)[number], string> = {
  'external id': "optional: the practice system's patient id; a known one updates that patient",
  'first name': 'required',
  'last name': 'required',
  'year of birth': 'required, four digits',
  gender: 'optional: female, male, diverse or unknown (or f, m, d, u)',
  email: 'optional',
  mobile: 'optional, international format such as +447700900123',
  'diagnosis code': 'optional',
  group: 'optional',
};

/** The columns of an import file, in the server's order, with what goes in each. */
export const IMPORT_COLUMNS = COLUMN_NAMES.map((name) => ({ name, note: COLUMN_NOTES[name] }));

/** An example file, with the optional header row, for people to fill in. */
export function exampleImportCsv(): string {
  return [
    IMPORT_COLUMNS.map((c) => c.name).join(','),
    'PMS-1001,Ann,Example,1958,female,ann@example.org,+447700900123,M17.1,Knee',
    'PMS-1002,Bob,"Sample, Jr",1972,male,,,M54.5,Back',
    ',Cleo,Demo,1990,,,,,',
  ].join('\r\n') + '\r\n';
}

/**
 * The records of an import file for the preview: the server's own reader, leniently (a stray quote
 * is left for the server to report). Never throws.
 */
export function readCsvRecords(text: string): CsvRecord[] {
  return parseCsv(text, { lenient: true });
}

/** Whether a first row names the columns rather than a patient (the server's own rule). */
export { isHeaderRow };

/** For the preview before importing: the patient rows in the file, and whether it starts with a header row. */
export function previewImport(text: string): { rows: number; header: boolean } {
  const records = readCsvRecords(text);
  const header = records.length > 0 && isHeaderRow(records[0]!.fields);
  return { rows: records.length - (header ? 1 : 0), header };
}

/** How often a pending import is asked about again. */
export const IMPORT_POLL_MS = 1_500;

/** The largest file the server takes, in characters. */
export { IMPORT_MAX_CHARS };

export function importStatusLabel(status: string): { label: string; color: string } {
  if (status === 'pending') return { label: 'Importing', color: 'blue' };
  if (status === 'done') return { label: 'Done', color: 'green' };
  if (status === 'failed') return { label: 'Failed', color: 'red' };
  return { label: status, color: 'gray' };
}
