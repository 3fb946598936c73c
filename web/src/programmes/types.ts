/** Shapes of the programmes API (src/programmes/service.ts). */

/** R-PRG-1: the parameters of one exercise in a programme; null where the practitioner gave none. */
export interface ItemParameters {
  sets: number | null;
  reps: number | null;
  durationSeconds: number | null;
  holdSeconds: number | null;
  restSeconds: number | null;
  timesPerDay: number | null;
  daysPerWeek: number | null;
  /** 1 = Monday … 7 = Sunday. */
  weekdays: number[] | null;
  instructions: string | null;
}

/** What the programme says about its exercise (null when the exercise is gone). */
export interface ItemExercise {
  id?: string;
  name: string;
  bodyRegion: string;
  equipment: string[];
  description: string;
  steps: string[];
  illustrationUrl: string | null;
}

export interface ProgrammeItem extends ItemParameters {
  exerciseId: string;
  exercise: ItemExercise | null;
}

export type ProgrammeState = 'active' | 'disabled' | 'ended';

export interface Programme {
  id: string;
  patientId: string;
  title: string;
  state: ProgrammeState;
  disabledReason: 'access_removed' | null;
  /** R-PRG-2: 8 lowercase letters the patient opens the programme with. */
  code: string;
  startDate: string;
  endDate: string | null;
  trackAdherence: boolean;
  trackPain: boolean;
  items: ProgrammeItem[];
  assignedAt: string;
  endedAt: string | null;
  updatedAt: string;
}

export interface Template {
  id: string;
  title: string;
  trackAdherence: boolean;
  trackPain: boolean;
  items: ProgrammeItem[];
  createdAt: string;
  updatedAt: string;
}

/** POST /api/programme-view: the patient's page (R-PRG-2, R-PRG-3). */
export interface PatientProgramme {
  title: string;
  patientFirstName: string;
  practitioner: { name: string; practice: string | null; phone: string | null };
  startDate: string;
  endDate: string | null;
  state: ProgrammeState;
  /** Ended or paused: shown, but with a notice to contact the practice. */
  readOnly: boolean;
  notice: string | null;
  trackAdherence: boolean;
  trackPain: boolean;
  items: (ItemParameters & { exercise: ItemExercise | null })[];
}

/** The body of POST /api/patients/:id/programmes and PUT /api/programmes/:id. */
export interface ProgrammeBody {
  title: string;
  startDate: string;
  endDate: string | null;
  trackAdherence: boolean;
  trackPain: boolean;
  items: (ItemParameters & { exerciseId: string })[];
}

export type TemplateBody = Omit<ProgrammeBody, 'startDate' | 'endDate'>;
