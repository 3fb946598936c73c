/** The console's keys (R-INT-3): every key limited to the organisation, its own and its practitioners', with New organisation key and Revoke. */
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { integrationContracts, type ApiKeyView } from '../../../src/integrations/schemas.ts';
import { call } from '../app/api.ts';
import { ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { KeyList, KeysCard, RevokeKeyDialog } from './ApiKeysParts.tsx';
import { NewOrgKeyDialog } from './ApiKeysNewDialog.tsx';
import { refreshIntegrations, useOrgKeys } from './keysQueries.ts';

export function ApiKeysOrgCard({ orgId, organisationName }: { orgId: string; organisationName: string }) {
  const queryClient = useQueryClient();
  const keys = useOrgKeys(orgId);
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);

  const revoke = async (key: ApiKeyView) => {
    await call(integrationContracts.revokeOrgKey, { params: { orgId, keyId: key.id } });
    await refreshIntegrations(queryClient);
    notifications.show({ color: 'motus', message: `“${key.name}” was revoked. It no longer works.` });
  };

  return (
    <KeysCard
      headingId="org-keys-heading"
      title="API keys"
      testId="org-keys"
      description={`Every key that works in ${organisationName}: organisation keys, which read this console, and the keys practitioners and PMS links use here.`}
      action={
        <Button onClick={() => setAdding(true)} leftSection={<IconPlus size={18} aria-hidden="true" />}>
          New organisation key
        </Button>
      }
    >
      {keys.isPending ? (
        <LoadingBlock label="Loading the keys" />
      ) : keys.isError ? (
        <ErrorBlock m="md" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : (
        <KeyList
          keys={keys.data.keys}
          testId="org-key-list"
          place={{ label: 'Acts as', value: (key) => key.ownerName || 'Unknown' }}
          emptyTitle="No keys yet"
          emptyText={<>Make an organisation key with <strong>New organisation key</strong> for a system that reads this console.</>}
          onRevoke={setRevoking}
        />
      )}
      <NewOrgKeyDialog opened={adding} onClose={() => setAdding(false)} orgId={orgId} organisationName={organisationName} />
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} onRevoke={revoke} />
    </KeysCard>
  );
}
