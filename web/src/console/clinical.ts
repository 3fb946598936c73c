/**
 * Pure helpers of the console's clinical parts: the transfer selection (R-TRF-1, R-PRA-6), the
 * patient import file (its columns, a preview count of its rows, an example file) and the
 * sentences that name counts (R-PAT-2: the console shows counts, never clinical details).
 */
import { isHeaderRow, parseCsv, type CsvRecord } from '../../../src/imports/csv.ts';
import { IMPORT_COLUMNS as COLUMN_NAMES, IMPORT_MAX_CHARS } from '../../../src/imports/schemas.ts';
import type { ClientInput } from '../../../src/platform/http/contract.ts';
import type { sharingContracts, SharingSettingsView } from '../../../src/sharing/schemas.ts';
import type { TransferablePatientView, TransferResultView } from '../../../src/transfers/schemas.ts';

/** The editable part of the sharing settings: the body of PUT …/sharing. */
export type SharingBody = ClientInput<typeof sharingContracts.updateSettings>['body'];

/** "1 patient", "3 patients". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Transfer selection

export interface TransferSelection {
  patientIds: ReadonlySet<string>;
  exerciseIds: ReadonlySet<string>;
  templateIds: ReadonlySet<string>;
}

export type TransferKind = keyof TransferSelection;

export const EMPTY_SELECTION: TransferSelection = { patientIds: new Set(), exerciseIds: new Set(), templateIds: new Set() };

/** Ticks or unticks one item. */
export function toggleItem(selection: TransferSelection, kind: TransferKind, id: string, checked: boolean): TransferSelection {
  const next = new Set(selection[kind]);
  if (checked) next.add(id);
  else next.delete(id);
  return { ...selection, [kind]: next };
}

/** Ticks (or unticks) every one of `ids`, leaving the others as they are (a filtered "Select all"). */
export function setItems(selection: TransferSelection, kind: TransferKind, ids: readonly string[], checked: boolean): TransferSelection {
  const next = new Set(selection[kind]);
  for (const id of ids) {
    if (checked) next.add(id);
    else next.delete(id);
  }
  return { ...selection, [kind]: next };
}

/** Whether all, some or none of `ids` are ticked: for a "Select all" checkbox. */
export function selectAllState(selected: ReadonlySet<string>, ids: readonly string[]): { checked: boolean; indeterminate: boolean } {
  const ticked = ids.filter((id) => selected.has(id)).length;
  return { checked: ids.length > 0 && ticked === ids.length, indeterminate: ticked > 0 && ticked < ids.length };
}

export function selectionSize(selection: TransferSelection): number {
  return selection.patientIds.size + selection.exerciseIds.size + selection.templateIds.size;
}

/** The request body of POST …/members/:memberId/transfer. */
export function transferBody(toMemberId: string, selection: TransferSelection) {
  return {
    toMemberId,
    patientIds: [...selection.patientIds],
    exerciseIds: [...selection.exerciseIds],
    templateIds: [...selection.templateIds],
  };
}

/** The patients whose name (first, last, or both in either order) or year of birth matches the search. */
export function filterPatients<P extends TransferablePatientView>(patients: readonly P[], search: string): P[] {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...patients];
  return patients.filter((p) => {
    const text = `${p.firstName} ${p.lastName} ${p.yearOfBirth}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** "2 patients, 1 exercise and 1 template", leaving out what is not there; "nothing" when empty. */
export function describeCounts(counts: { patients: number; exercises: number; templates: number }): string {
  const parts = [
    counts.patients > 0 ? plural(counts.patients, 'patient', 'patients') : null,
    counts.exercises > 0 ? plural(counts.exercises, 'custom exercise', 'custom exercises') : null,
    counts.templates > 0 ? plural(counts.templates, 'template', 'templates') : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return 'nothing';
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
}

/** The notification after a transfer: what moved, and to whom. */
export function transferDoneMessage(result: TransferResultView, recipient: string): string {
  const what = describeCounts(result);
  return `${what.charAt(0).toUpperCase()}${what.slice(1)} moved to ${recipient}.${result.patients > 0 ? ' Their programmes stay active with the same codes.' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Patient import

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

// ---------------------------------------------------------------------------------------------
// Sharing & content

/**
 * The editable part of the sharing settings. Only active practitioners can be chosen (the server
 * refuses anyone else), so members listed as chosen who no longer hold practitioner access are
 * left out rather than sent back.
 */
export function sharingBodyFrom(settings: SharingSettingsView): SharingBody {
  const practitioner = new Set(settings.practitioners.map((p) => p.id));
  const contentAccountMemberId = settings.contentAccountMemberId && practitioner.has(settings.contentAccountMemberId) ? settings.contentAccountMemberId : null;
  return {
    sharePatients: settings.sharePatients,
    shareContent: settings.shareContent,
    groupMemberIds: settings.groupMemberIds.filter((id) => practitioner.has(id)),
    contentAccountMemberId,
    contentRecipientIds: contentAccountMemberId ? settings.contentRecipientIds.filter((id) => practitioner.has(id) && id !== contentAccountMemberId) : [],
  };
}

/** Chooses the content account (or none); it does not receive its own content, and without one nobody receives any. */
export function withContentAccount(values: SharingBody, memberId: string | null): SharingBody {
  return {
    ...values,
    contentAccountMemberId: memberId,
    contentRecipientIds: memberId ? values.contentRecipientIds.filter((id) => id !== memberId) : [],
  };
}
