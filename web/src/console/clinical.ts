/**
 * Pure helpers of the console's clinical parts: the transfer selection (R-TRF-1, R-PRA-6), the
 * patient import file (its columns, a preview count of its rows, an example file) and the
 * sentences that name counts (R-PAT-2: the console shows counts, never clinical details).
 */
import type { SharingBody, SharingSettings, TransferablePatient, TransferResult } from './types.ts';

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
export function filterPatients<P extends TransferablePatient>(patients: readonly P[], search: string): P[] {
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
export function transferDoneMessage(result: TransferResult, recipient: string): string {
  const what = describeCounts(result);
  return `${what.charAt(0).toUpperCase()}${what.slice(1)} moved to ${recipient}.${result.patients > 0 ? ' Their programmes stay active with the same codes.' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Patient import

/** The columns of an import file, in order (src/imports/service.ts IMPORT_COLUMNS). */
export const IMPORT_COLUMNS = [
  { name: 'external id', note: "optional: the practice system's patient id; a known one updates that patient" },
  { name: 'first name', note: 'required' },
  { name: 'last name', note: 'required' },
  { name: 'year of birth', note: 'required, four digits' },
  { name: 'gender', note: 'optional: female, male, diverse or unknown (or f, m, d, u)' },
  { name: 'email', note: 'optional' },
  { name: 'mobile', note: 'optional, international format such as +447700900123' },
  { name: 'diagnosis code', note: 'optional' },
  { name: 'group', note: 'optional' },
] as const;

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
 * The records of a CSV text, as the server reads them (RFC 4180: quoted fields may hold commas,
 * "" and line breaks; empty lines are skipped): each record's line and its fields. Never throws:
 * an unclosed quote simply runs to the end (the server reports it).
 */
export function readCsvRecords(text: string): { line: number; fields: string[] }[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let atFieldStart = true;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      atFieldStart = true;
      line++;
      recordLine = line;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

/** Whether a first row names the columns rather than a patient (as the server decides). */
export function isHeaderRow(fields: readonly string[]): boolean {
  const norm = (v: string | undefined) => (v ?? '').trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  return ['external id', 'externalid', 'id'].includes(norm(fields[0])) && ['first name', 'firstname', 'first'].includes(norm(fields[1]));
}

/** For the preview before importing: the patient rows in the file, and whether it starts with a header row. */
export function previewImport(text: string): { rows: number; header: boolean } {
  const records = readCsvRecords(text);
  const header = records.length > 0 && isHeaderRow(records[0]!.fields);
  return { rows: records.length - (header ? 1 : 0), header };
}

/** How often a pending import is asked about again. */
export const IMPORT_POLL_MS = 1_500;

/** The largest file the server takes, in characters (src/imports/routes.ts). */
export const IMPORT_MAX_CHARS = 900_000;

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
export function sharingBodyFrom(settings: SharingSettings): SharingBody {
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
