import { z } from 'zod';
import { defineContract } from '../platform/http/contract.ts';

/**
 * The HL7 FHIR R4 read interface (R-INT-5) at /fhir/R4: the same API keys as the public API, the
 * same visibility rule, answers in FHIR JSON (application/fhir+json) and errors as
 * OperationOutcome. Search parameters are FHIR's; one the interface does not know is refused (400)
 * rather than ignored, so that a misspelt filter never returns more patients than asked for.
 */

const TAGS = ['FHIR R4'] as const;
const FHIR_RESPONSE = (what: string) => ({ raw: 'application/fhir+json', description: what });

/** A FHIR id: 1–64 letters, digits, "-" and ".". */
export const fhirIdParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/, { message: 'A FHIR id is 1 to 64 letters, digits, "-" and ".".' }),
});

/** A search value; repeated parameters arrive as a list (each repeat narrows a date search). */
const searchValue = (description: string) => z.union([z.string().max(500), z.array(z.string().max(500)).max(4)]).optional().describe(description);

const format = z
  .string()
  .max(100)
  .regex(/^(json|application\/(fhir[+ ])?json)$/, { message: 'This interface answers JSON only: _format=json or application/fhir+json.' })
  .optional()
  .describe('json or application/fhir+json (the only format served).');
const pretty = z.enum(['true', 'false']).optional().describe('Accepted and ignored.');

const paging = {
  _count: z.coerce.number().int().min(0).max(200).default(50).describe('Entries a page holds (0 answers the total only).'),
  cursor: z.string().max(500).optional().describe('Where the page starts: taken from the link "next" of the page before.'),
  _format: format,
  _pretty: pretty,
};

const lastUpdated = searchValue('When the resource last changed, with a prefix: ge2026-12-01, lt2026-12-08T00:00:00Z; may be repeated.');
const patient = searchValue('Patient/<id> or the id; alternatives separated by commas.');

export const patientSearchQuery = z.strictObject({
  identifier: searchValue("The PMS's patient id: system|value (the system is urn:motus:organisation:<id>:pms) or the value alone."),
  _lastUpdated: lastUpdated,
  ...paging,
});
export const carePlanSearchQuery = z.strictObject({ patient, _lastUpdated: lastUpdated, ...paging });
export const observationSearchQuery = z.strictObject({
  patient,
  code: searchValue('http://loinc.org|72514-3 (pain, 0–10) or urn:motus:fhir:code|exercise-session (exercises done per day), or the code alone.'),
  date: searchValue('The day the patient recorded it for (a year, month or day), with a prefix: ge2026-12-01.'),
  _lastUpdated: lastUpdated,
  ...paging,
});
export const communicationSearchQuery = z.strictObject({ patient, _lastUpdated: lastUpdated, ...paging });
export const readQuery = z.strictObject({ _format: format, _pretty: pretty });

export type PatientSearchQuery = z.output<typeof patientSearchQuery>;
export type CarePlanSearchQuery = z.output<typeof carePlanSearchQuery>;
export type ObservationSearchQuery = z.output<typeof observationSearchQuery>;
export type CommunicationSearchQuery = z.output<typeof communicationSearchQuery>;

export const fhirContracts = {
  metadata: defineContract({
    method: 'GET',
    path: '/fhir/R4/metadata',
    access: 'public',
    tags: TAGS,
    summary: 'The CapabilityStatement: what the FHIR interface serves and how to search it (R-INT-5)',
    query: readQuery,
    response: FHIR_RESPONSE('A CapabilityStatement'),
  }),
  searchPatients: defineContract({
    method: 'GET',
    path: '/fhir/R4/Patient',
    access: 'apiKey:patients.read',
    tags: TAGS,
    summary: 'Search patients by the PMS id (identifier) and last change (R-INT-5)',
    query: patientSearchQuery,
    response: FHIR_RESPONSE('A searchset Bundle of Patient resources'),
  }),
  readPatient: defineContract({
    method: 'GET',
    path: '/fhir/R4/Patient/:id',
    access: 'apiKey:patients.read',
    tags: TAGS,
    summary: 'A patient (R-INT-5); another practice’s patient is not found',
    params: fhirIdParams,
    query: readQuery,
    response: FHIR_RESPONSE('A Patient'),
  }),
  searchCarePlans: defineContract({
    method: 'GET',
    path: '/fhir/R4/CarePlan',
    access: 'apiKey:patients.read',
    tags: TAGS,
    summary: 'Search home exercise programmes by patient and last change (R-INT-5)',
    query: carePlanSearchQuery,
    response: FHIR_RESPONSE('A searchset Bundle of CarePlan resources'),
  }),
  readCarePlan: defineContract({
    method: 'GET',
    path: '/fhir/R4/CarePlan/:id',
    access: 'apiKey:patients.read',
    tags: TAGS,
    summary: 'A home exercise programme with one activity per exercise (R-INT-5)',
    params: fhirIdParams,
    query: readQuery,
    response: FHIR_RESPONSE('A CarePlan'),
  }),
  searchObservations: defineContract({
    method: 'GET',
    path: '/fhir/R4/Observation',
    access: 'apiKey:engagement.read',
    tags: TAGS,
    summary: 'Search pain ratings and days of exercises done by patient, code, day and last change (R-INT-5)',
    query: observationSearchQuery,
    response: FHIR_RESPONSE('A searchset Bundle of Observation resources'),
  }),
  readObservation: defineContract({
    method: 'GET',
    path: '/fhir/R4/Observation/:id',
    access: 'apiKey:engagement.read',
    tags: TAGS,
    summary: 'A pain rating (pain-<id>) or a day of exercises done (session-<programme>-<YYYYMMDD>) (R-INT-5)',
    params: fhirIdParams,
    query: readQuery,
    response: FHIR_RESPONSE('An Observation'),
  }),
  searchCommunications: defineContract({
    method: 'GET',
    path: '/fhir/R4/Communication',
    access: 'apiKey:engagement.read',
    tags: TAGS,
    summary: 'Search messages between patients and the practice by patient and time (R-INT-5)',
    query: communicationSearchQuery,
    response: FHIR_RESPONSE('A searchset Bundle of Communication resources'),
  }),
  readCommunication: defineContract({
    method: 'GET',
    path: '/fhir/R4/Communication/:id',
    access: 'apiKey:engagement.read',
    tags: TAGS,
    summary: 'A message of a programme’s thread (R-INT-5)',
    params: fhirIdParams,
    query: readQuery,
    response: FHIR_RESPONSE('A Communication'),
  }),
};
