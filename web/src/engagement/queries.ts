/**
 * Query keys and fetchers of what the practitioner sees of engagement (R-ENG-5..7). A programme's
 * engagement, thread and devices sit under its patient's key, so a change to the patient refreshes
 * them and a patient gone from this practitioner takes them along (see patients/queries.ts).
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { engagementContracts } from '../../../src/engagement/schemas.ts';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { patientKey } from '../patients/queries.ts';

export const ATTENTION_KEY = ['attention'] as const;
const programmeEngagementKey = (patientId: string, programmeId: string) => [...patientKey(patientId), 'engagement', programmeId] as const;
export const engagementKey = (patientId: string, programmeId: string, days: number) =>
  [...programmeEngagementKey(patientId, programmeId), 'view', days] as const;
export const messagesKey = (patientId: string, programmeId: string) => [...programmeEngagementKey(patientId, programmeId), 'messages'] as const;
export const devicesKey = (patientId: string, programmeId: string) => [...programmeEngagementKey(patientId, programmeId), 'devices'] as const;

/** R-ENG-6: adherence, pain and difficulty, comments, last activity and open alerts over `days`. */
export function useEngagement(patientId: string, programmeId: string, days: number) {
  return useQuery({
    queryKey: engagementKey(patientId, programmeId, days),
    queryFn: () => call(engagementContracts.engagement, { params: { programmeId }, query: { days } }),
    staleTime: 30_000,
    refetchOnWindowFocus: true,
  });
}

/** R-ENG-5: the thread; reading it marks the patient's messages read, so the attention list is asked again. */
export function useProgrammeMessages(patientId: string, programmeId: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: messagesKey(patientId, programmeId),
    queryFn: async () => {
      const answer = await call(engagementContracts.messages, { params: { programmeId } });
      void queryClient.invalidateQueries({ queryKey: ATTENTION_KEY });
      return answer;
    },
    staleTime: 15_000,
    refetchOnWindowFocus: true,
  });
}

export function useSendMessage(patientId: string, programmeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ clientId, text }: { clientId: string; text: string }) =>
      call(engagementContracts.send, { params: { programmeId, clientId }, body: { text } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: messagesKey(patientId, programmeId) }),
  });
}

export function useProgrammeDevices(patientId: string, programmeId: string) {
  return useQuery({
    queryKey: devicesKey(patientId, programmeId),
    queryFn: () => call(engagementContracts.devices, { params: { programmeId } }).then((a) => a.devices),
    staleTime: 15_000,
  });
}

export async function revokeDevice(queryClient: QueryClient, patientId: string, programmeId: string, deviceId: string): Promise<void> {
  await call(engagementContracts.revokeDevice, { params: { programmeId, deviceId } });
  await queryClient.invalidateQueries({ queryKey: devicesKey(patientId, programmeId) });
}

/** "Mark as seen": the alert leaves the panel and the home page's list. */
export function useResolveAlert(patientId: string, programmeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (alertId: string) => call(engagementContracts.resolveAlert, { params: { programmeId, alertId } }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: programmeEngagementKey(patientId, programmeId) }),
        queryClient.invalidateQueries({ queryKey: ATTENTION_KEY }),
      ]),
  });
}

/**
 * R-ENG-6: what needs the practitioner's attention. With `poll` (the home page) it is asked again
 * every minute while the page is open; always when the person comes back to the tab. Only for
 * someone who can work as a practitioner (the route refuses anyone else).
 */
export function useAttention(enabled: boolean, poll = true) {
  return useQuery({
    queryKey: ATTENTION_KEY,
    queryFn: () => call(engagementContracts.attention).then((a) => a.items),
    enabled,
    staleTime: 30_000,
    refetchInterval: poll ? 60_000 : false,
    refetchOnWindowFocus: true,
  });
}

/** R-ENG-7: the organisation's engagement, counts only. */
export function useOrganisationEngagement(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'engagement'],
    queryFn: () => call(engagementContracts.organisation, { params: { orgId } }),
    staleTime: 60_000,
  });
}
