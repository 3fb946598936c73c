/** Query keys and fetchers of the patient pages. Every key starts with ['patients']. */
import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { patientContracts } from '../../../src/patients/schemas.ts';
import { programmeContracts } from '../../../src/programmes/schemas.ts';
import { sharingContracts } from '../../../src/sharing/schemas.ts';
import { call } from '../app/api.ts';
import { patientsQuery, type PatientsParams } from './patients.ts';

export const PATIENTS_KEY = ['patients'] as const;
export const patientKey = (patientId: string) => [...PATIENTS_KEY, 'one', patientId] as const;

export function usePatients(params: PatientsParams) {
  return useQuery({
    queryKey: [...PATIENTS_KEY, 'list', params],
    queryFn: () => call(patientContracts.list, { query: patientsQuery(params) }),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}

export function usePatient(patientId: string, enabled = true) {
  return useQuery({
    queryKey: patientKey(patientId),
    queryFn: () => call(patientContracts.get, { params: { patientId } }).then((a) => a.patient),
    staleTime: 5_000,
    enabled: enabled && patientId !== '',
  });
}

export function usePatientProgrammes(patientId: string) {
  return useQuery({
    queryKey: [...patientKey(patientId), 'programmes'],
    queryFn: () => call(programmeContracts.listForPatient, { params: { patientId } }).then((a) => a.programmes),
    staleTime: 5_000,
  });
}

export function usePatientShares(patientId: string, enabled = true) {
  return useQuery({
    queryKey: [...patientKey(patientId), 'shares'],
    queryFn: () => call(sharingContracts.shares, { params: { patientId } }).then((a) => a.shares),
    enabled,
    staleTime: 5_000,
  });
}

export function useColleagues(enabled = true) {
  return useQuery({
    queryKey: ['colleagues'],
    queryFn: () => call(sharingContracts.colleagues).then((a) => a.colleagues),
    enabled,
    staleTime: 30_000,
  });
}

/** After any change to a patient: the lists and everything shown about them are asked for again. */
export function refreshPatients(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: PATIENTS_KEY });
}

/** A patient gone from this practitioner (deleted, transferred): their pages are forgotten, the lists asked for again. */
export function forgetPatient(queryClient: QueryClient, patientId: string): void {
  void queryClient.cancelQueries({ queryKey: patientKey(patientId) });
  queryClient.removeQueries({ queryKey: patientKey(patientId) });
  void queryClient.invalidateQueries({ queryKey: [...PATIENTS_KEY, 'list'] });
}
