/**
 * Pure helpers of the transfer dialog: the transfer selection (R-TRF-1, R-PRA-6) and the sentences
 * that name counts (R-PAT-2: the console shows counts, never clinical details).
 */
import { plural } from '../app/format.ts';
import type { TransferablePatientView, TransferResultView } from '../../../src/transfers/schemas.ts';

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
