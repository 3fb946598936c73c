/** Shapes of the patients and sharing APIs (src/patients, src/sharing, src/transfers). */

export type Gender = 'female' | 'male' | 'diverse' | 'unknown';

/** R-PAT-1: a patient as the API answers it. */
export interface Patient {
  id: string;
  firstName: string;
  lastName: string;
  yearOfBirth: number;
  gender: Gender | null;
  email: string | null;
  mobile: string | null;
  /** The PMS's patient id, unique per practitioner. */
  externalId: string | null;
  diagnosisCode: string | null;
  group: string | null;
  archived: boolean;
  /** The caller owns the patient (false: shared with them, R-SHR-1, R-SHR-3). */
  own: boolean;
  createdAt: string;
  updatedAt: string;
}

export type ArchivedFilter = 'false' | 'true' | 'all';

/** A practitioner of one of the caller's organisations or subscriptions (GET /api/colleagues). */
export interface Colleague {
  accountId: string;
  name: string;
  email: string;
  organisationId: string;
  organisation: string;
}

/** An open share of one patient with a colleague (R-SHR-3). */
export interface PatientShare {
  id: string;
  toAccountId: string;
  name: string;
  since: string;
}

/** The body of POST /api/patients (and, with nulls clearing fields, PATCH /api/patients/:id). */
export interface PatientBody {
  firstName: string;
  lastName: string;
  yearOfBirth: number;
  gender: Gender | null;
  email: string | null;
  mobile: string | null;
  externalId: string | null;
  diagnosisCode: string | null;
  group: string | null;
}
