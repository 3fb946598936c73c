/** Query keys and fetchers of an organisation's patient imports. Every key starts with ['organisation', orgId]. */
import { useQuery } from '@tanstack/react-query';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { IMPORT_POLL_MS } from './imports.ts';
import { importContracts } from '../../../src/imports/schemas.ts';

export const importsKey = (orgId: string) => [...organisationKey(orgId), 'patient-imports'] as const;

/** Recent patient imports; asked again every few seconds while one is still running. */
export function useImports(orgId: string) {
  return useQuery({
    queryKey: importsKey(orgId),
    queryFn: () => call(importContracts.list, { params: { orgId } }).then((a) => a.imports),
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.some((i) => i.status === 'pending') ? 3_000 : false),
  });
}

/** One import, asked about again every second or two until it is done or failed. */
export function useImport(orgId: string, importId: string | null) {
  return useQuery({
    queryKey: [...importsKey(orgId), importId],
    queryFn: () => call(importContracts.get, { params: { orgId, importId: importId ?? '' } }).then((a) => a.import),
    enabled: importId !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.status === 'error' || (query.state.data && query.state.data.status !== 'pending') ? false : IMPORT_POLL_MS),
  });
}
