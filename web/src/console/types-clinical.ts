/** Shapes of the console's clinical answers (src/programmes, src/transfers, src/sharing, src/imports). */
/** GET …/members/:memberId/programme-counts: counts only, for the patients treated here (R-PRA-3, R-PRA-5). */
export interface ProgrammeCounts {
  activeProgrammes: number;
  /** Programmes paused when this member's access was removed. */
  disabledByRemoval: number;
  patients: number;
}

/** GET …/members/:memberId/transferable: names and year of birth only (R-PAT-2); the listing is audited. */
export interface TransferablePatient {
  id: string;
  firstName: string;
  lastName: string;
  yearOfBirth: number;
}

export interface Transferable {
  patients: TransferablePatient[];
  exercises: { id: string; name: string }[];
  templates: { id: string; title: string }[];
}

/** POST …/members/:memberId/transfer */
export interface TransferResult {
  transferId: string;
  patients: number;
  exercises: number;
  templates: number;
}

/** GET/PUT …/sharing (R-SHR-1, R-SHR-2); the PUT body has everything but `practitioners`. */
export interface SharingSettings {
  sharePatients: boolean;
  shareContent: boolean;
  groupMemberIds: string[];
  contentAccountMemberId: string | null;
  contentRecipientIds: string[];
  /** The organisation's active practitioners, who can be chosen. */
  practitioners: { id: string; name: string }[];
}

export type SharingBody = Omit<SharingSettings, 'practitioners'>;

/** GET …/patient-imports/:importId */
export interface PatientImport {
  id: string;
  status: 'pending' | 'done' | 'failed';
  fileName: string | null;
  practitioner: { membershipId: string; name: string | null };
  rows: number | null;
  created: number | null;
  updated: number | null;
  rejected: { line: number; reason: string }[];
  requestedAt: string;
  finishedAt: string | null;
}
