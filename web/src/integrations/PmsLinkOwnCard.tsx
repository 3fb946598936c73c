/** A practitioner's own PMS link in one practice (R-INT-1): link, link again, or unlink. */
import { Badge, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected, IconPlugConnectedX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { integrationContracts } from '../../../src/integrations/schemas.ts';
import { call } from '../app/api.ts';
import { ConfirmDialog } from '../app/ConfirmDialog.tsx';
import { formatDate } from '../app/format.ts';
import { ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { KeyStatusBadge } from './ApiKeysParts.tsx';
import { refreshIntegrations, useOwnLink } from './keysQueries.ts';
import { PmsLinkDialog } from './PmsLinkDialog.tsx';

export function PmsLinkOwnCard({ orgId, organisationName }: { orgId: string; organisationName: string }) {
  const queryClient = useQueryClient();
  const query = useOwnLink(orgId);
  const [linking, setLinking] = useState(false);
  const [unlinking, setUnlinking] = useState(false);
  const link = query.data?.link ?? null;
  const headingId = `pms-link-${orgId}`;

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby={headingId} data-testid="pms-link-own">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={2} style={{ flex: '1 1 320px' }}>
            <Title order={2} size="h4" id={headingId}>
              Practice management system · {organisationName}
            </Title>
            <Text size="sm" c="dimmed">
              Link your account to {organisationName}'s practice management system (PMS), so it can add your patients and assign
              programmes in Motus as you.
            </Text>
          </Stack>
          {query.isSuccess ? (
            <Group gap="sm">
              {link ? (
                <>
                  <Button variant="default" onClick={() => setLinking(true)} leftSection={<IconPlugConnected size={18} aria-hidden="true" />}>
                    Link again
                  </Button>
                  <Button variant="default" color="red" onClick={() => setUnlinking(true)} leftSection={<IconPlugConnectedX size={18} aria-hidden="true" />}>
                    Unlink
                  </Button>
                </>
              ) : (
                <Button onClick={() => setLinking(true)} leftSection={<IconPlugConnected size={18} aria-hidden="true" />}>
                  Link to the PMS
                </Button>
              )}
            </Group>
          ) : null}
        </Group>
        {query.isPending ? (
          <LoadingBlock label="Loading your PMS link" />
        ) : query.isError ? (
          <ErrorBlock error={query.error} onRetry={() => void query.refetch()} />
        ) : link ? (
          <Group gap="sm" data-testid="pms-link-state">
            <Badge color="green" variant="light" size="lg" radius="sm" tt="none">
              Linked to {link.pmsName}
            </Badge>
            <Text size="sm" c="dimmed">
              since {formatDate(link.createdAt)} · key <Code>{link.apiKey.prefix}</Code>
            </Text>
            {link.apiKey.status !== 'active' ? <KeyStatusBadge status={link.apiKey.status} /> : null}
          </Group>
        ) : (
          <Text size="sm" data-testid="pms-link-state">
            Not linked.
          </Text>
        )}
      </Stack>
      <PmsLinkDialog
        opened={linking}
        onClose={() => setLinking(false)}
        who="you"
        organisationName={organisationName}
        replaces={link?.pmsName ?? null}
        send={(body) => call(integrationContracts.linkOwn, { params: { orgId }, body })}
      />
      <ConfirmDialog
        opened={unlinking}
        onClose={() => setUnlinking(false)}
        title={link ? `Unlink from ${link.pmsName}?` : 'Unlink from the PMS?'}
        confirmLabel="Unlink"
        onConfirm={async () => {
          await call(integrationContracts.unlinkOwn, { params: { orgId } });
          await refreshIntegrations(queryClient);
          notifications.show({ color: 'motus', message: `Your account is no longer linked to ${link?.pmsName ?? 'the PMS'}.` });
        }}
      >
        <Text size="sm">The Motus key made for the PMS stops working at once, and Motus stops using the PMS token. You can link again later.</Text>
      </ConfirmDialog>
    </Paper>
  );
}
