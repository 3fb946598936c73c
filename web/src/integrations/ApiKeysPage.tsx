/** /api-keys: the practitioner's own API keys (R-INT-3) and their PMS links (R-INT-1), among their account settings. */
import { Alert, Button, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { integrationContracts, type ApiKeyView } from '../../../src/integrations/schemas.ts';
import { call } from '../app/api.ts';
import { ErrorBlock, LoadingBlock, PageHeader } from '../app/ui.tsx';
import { useWorkspace } from '../organisations/workspace.ts';
import { KeyList, KeysCard, RevokeKeyDialog } from './ApiKeysParts.tsx';
import { NewOwnKeyDialog } from './ApiKeysNewDialog.tsx';
import { practiceName, practiceOptions } from './keys.ts';
import { refreshIntegrations, useOwnKeys } from './keysQueries.ts';
import { PmsLinkOwnCard } from './PmsLinkOwnCard.tsx';

export function ApiKeysPage() {
  const queryClient = useQueryClient();
  const workspace = useWorkspace();
  const keys = useOwnKeys();
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  // Only a practitioner who can work makes keys (the server checks the same); anyone may revoke theirs.
  const canMake = workspace.data?.licence.canWork ?? false;
  const linkable = (workspace.data?.organisations ?? []).filter((o) => o.practitioner && o.state === 'active');

  const revoke = async (key: ApiKeyView) => {
    await call(integrationContracts.revokeOwnKey, { params: { keyId: key.id } });
    await refreshIntegrations(queryClient);
    notifications.show({ color: 'motus', message: `“${key.name}” was revoked. It no longer works.` });
  };

  return (
    <>
      <PageHeader title="API keys" description="Let other systems, such as your practice management system, work with Motus as you." />
      <Stack gap="lg">
        {workspace.isSuccess && !canMake ? (
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />} data-testid="api-keys-no-licence">
            New keys can be made while you hold a licence to work in Motus. Keys you made stop working while you do not.
          </Alert>
        ) : null}
        <KeysCard
          headingId="own-keys-heading"
          title="Your keys"
          testId="own-keys"
          description="Each key can do only what it was given. Give each system its own key, so you can revoke one without the others."
          action={
            canMake ? (
              <Button onClick={() => setAdding(true)} leftSection={<IconPlus size={18} aria-hidden="true" />}>
                New key
              </Button>
            ) : null
          }
        >
          {keys.isPending ? (
            <LoadingBlock label="Loading your keys" />
          ) : keys.isError ? (
            <ErrorBlock m="md" error={keys.error} onRetry={() => void keys.refetch()} />
          ) : (
            <KeyList
              keys={keys.data.keys}
              testId="own-key-list"
              place={{ label: 'Practice', value: (key) => practiceName(key.organisationId, workspace.data) }}
              emptyTitle="No keys yet"
              emptyText={canMake ? <>Make one with <strong>New key</strong> when a system needs to work with Motus as you.</> : null}
              onRevoke={setRevoking}
            />
          )}
        </KeysCard>
        {linkable.map((organisation) => (
          <PmsLinkOwnCard key={organisation.id} orgId={organisation.id} organisationName={organisation.name} />
        ))}
      </Stack>
      <NewOwnKeyDialog opened={adding} onClose={() => setAdding(false)} practices={practiceOptions(workspace.data)} />
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} onRevoke={revoke} />
    </>
  );
}
