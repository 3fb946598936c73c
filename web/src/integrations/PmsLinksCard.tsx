/** The console's PMS links (R-INT-1): each practitioner of the organisation, linked or not, with Link and Unlink. */
import { Badge, Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected, IconPlugConnectedX, IconSearch, IconUsers } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { integrationContracts, type PmsLinkView } from '../../../src/integrations/schemas.ts';
import type { MemberView } from '../../../src/memberships/schemas.ts';
import { call } from '../app/api.ts';
import { ConfirmDialog } from '../app/ConfirmDialog.tsx';
import { formatDate } from '../app/format.ts';
import { EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { StatusBadge } from '../memberships/StatusBadge.tsx';
import { useMembers } from '../memberships/queries.ts';
import { KeysCard, KeyStatusBadge } from './ApiKeysParts.tsx';
import { linkCandidates, memberLinkState, type MemberLinkState } from './keys.ts';
import { refreshIntegrations, useOrgLinks } from './keysQueries.ts';
import { PmsLinkDialog } from './PmsLinkDialog.tsx';

/** The most members read at once; beyond it the search finds the others. */
const MEMBERS_LIMIT = 200;

interface Row {
  memberId: string;
  name: string;
  email: string | null;
  status: string | null;
  state: MemberLinkState;
}

export function PmsLinksCard({ orgId, organisationName }: { orgId: string; organisationName: string }) {
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const [search] = useDebouncedValue(typed.trim(), 300);
  const members = useMembers(orgId, { search, status: '', limit: MEMBERS_LIMIT, offset: 0 });
  const links = useOrgLinks(orgId);
  const [linking, setLinking] = useState<Row | null>(null);
  const [unlinking, setUnlinking] = useState<Row | null>(null);

  const rows = buildRows(members.data?.members ?? [], links.data?.links ?? [], search !== '');
  const more = (members.data?.total ?? 0) > MEMBERS_LIMIT;
  const linkingState = linking?.state;

  return (
    <KeysCard
      headingId="pms-links-heading"
      title="PMS links"
      testId="pms-links"
      description={
        <>
          Link a practitioner's account to {organisationName}'s practice management system (PMS). Motus keeps the PMS token
          encrypted and makes a Motus API key for the PMS, which works as that practitioner. Practitioners can also link their
          own account under <strong>API keys</strong>.
        </>
      }
    >
      <Group px={{ base: 'md', sm: 'lg' }} pb="md">
        <TextInput
          label="Find a practitioner"
          placeholder="Name or email"
          type="search"
          leftSection={<IconSearch size={16} aria-hidden="true" />}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          style={{ flex: '1 1 260px', maxWidth: 420 }}
        />
      </Group>
      {members.isPending || links.isPending ? (
        <LoadingBlock label="Loading practitioners" />
      ) : members.isError || links.isError ? (
        <ErrorBlock
          m="md"
          error={members.error ?? links.error}
          onRetry={() => {
            void members.refetch();
            void links.refetch();
          }}
        />
      ) : rows.length === 0 ? (
        <EmptyState icon={search ? IconSearch : IconUsers} title={search ? 'No practitioner matches' : 'No practitioners yet'}>
          {search ? 'Try another name or email.' : 'Add practitioners on the Users page. Once they accept the invitation, they can be linked.'}
        </EmptyState>
      ) : (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Practitioners and their PMS links" data-testid="pms-link-list">
          {rows.map((row) => (
            <Group
              component="li"
              key={row.memberId}
              justify="space-between"
              align="center"
              gap="sm"
              p={{ base: 'md', sm: 'lg' }}
              style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
              data-testid="pms-link-row"
            >
              <Stack gap={2} style={{ minWidth: 0, flex: '1 1 260px' }}>
                <Group gap="xs">
                  <Text fw={600} data-testid="pms-link-member">
                    {row.name}
                  </Text>
                  {row.status && row.status !== 'active' ? <StatusBadge status={row.status} /> : null}
                </Group>
                {row.email ? (
                  <Text size="sm" c="dimmed" className="break-anywhere">
                    {row.email}
                  </Text>
                ) : null}
                <LinkStateText state={row.state} />
              </Stack>
              <RowActions row={row} onLink={() => setLinking(row)} onUnlink={() => setUnlinking(row)} />
            </Group>
          ))}
        </Stack>
      )}
      {more ? (
        <Text size="sm" c="dimmed" px={{ base: 'md', sm: 'lg' }} pb="md">
          Showing the first {MEMBERS_LIMIT} users. Search to find others.
        </Text>
      ) : null}
      <PmsLinkDialog
        opened={linking !== null}
        onClose={() => setLinking(null)}
        who={linking?.name ?? 'the practitioner'}
        organisationName={organisationName}
        replaces={linkingState?.kind === 'linked' ? linkingState.link.pmsName : null}
        send={(body) => call(integrationContracts.linkMember, { params: { orgId, memberId: linking!.memberId }, body })}
      />
      <ConfirmDialog
        opened={unlinking !== null}
        onClose={() => setUnlinking(null)}
        title={unlinking ? `Unlink ${unlinking.name} from the PMS?` : 'Unlink from the PMS?'}
        confirmLabel="Unlink"
        onConfirm={async () => {
          if (!unlinking) return;
          await call(integrationContracts.unlinkMember, { params: { orgId, memberId: unlinking.memberId } });
          await refreshIntegrations(queryClient);
          notifications.show({ color: 'motus', message: `${unlinking.name} is no longer linked to the PMS.` });
        }}
      >
        <Text size="sm">The Motus key made for the PMS stops working at once, and Motus stops using the PMS token. You can link again later.</Text>
      </ConfirmDialog>
    </KeysCard>
  );
}

/**
 * Practitioners in the members list, each with their link; links of people the list no longer
 * shows (such as someone removed from the organisation) stay listed so that they can be unlinked.
 */
function buildRows(members: MemberView[], links: PmsLinkView[], searching: boolean): Row[] {
  const byMember = new Map(links.map((link) => [link.memberId, link]));
  const rows: Row[] = linkCandidates(members).map((m) => ({ memberId: m.id, name: m.name, email: m.email, status: m.status, state: memberLinkState(m, byMember.get(m.id)) }));
  if (!searching) {
    const listed = new Set(rows.map((r) => r.memberId));
    for (const link of links) {
      if (!listed.has(link.memberId)) rows.push({ memberId: link.memberId, name: link.practitionerName, email: null, status: null, state: { kind: 'linked', link } });
    }
  }
  return rows;
}

function LinkStateText({ state }: { state: MemberLinkState }) {
  if (state.kind === 'linked') {
    return (
      <Group gap="xs" data-testid="pms-link-state">
        <Badge color="green" variant="light" radius="sm" tt="none">
          Linked to {state.link.pmsName}
        </Badge>
        <Text size="sm" c="dimmed">
          since {formatDate(state.link.createdAt)} · key <Code>{state.link.apiKey.prefix}</Code>
        </Text>
        {state.link.apiKey.status !== 'active' ? <KeyStatusBadge status={state.link.apiKey.status} /> : null}
      </Group>
    );
  }
  const text =
    state.kind === 'linkable' ? 'Not linked' : state.kind === 'awaiting_acceptance' ? 'Can be linked once they accept the invitation' : state.reason;
  return (
    <Text size="sm" c={state.kind === 'linkable' ? undefined : 'dimmed'} data-testid="pms-link-state">
      {text}
    </Text>
  );
}

function RowActions({ row, onLink, onUnlink }: { row: Row; onLink: () => void; onUnlink: () => void }) {
  if (row.state.kind === 'linked') {
    return (
      <Group gap="sm" wrap="nowrap">
        {row.status === 'active' ? (
          <Button variant="default" onClick={onLink} leftSection={<IconPlugConnected size={18} aria-hidden="true" />} aria-label={`Link ${row.name} again`}>
            Link again
          </Button>
        ) : null}
        <Button variant="default" color="red" onClick={onUnlink} leftSection={<IconPlugConnectedX size={18} aria-hidden="true" />} aria-label={`Unlink ${row.name}`}>
          Unlink
        </Button>
      </Group>
    );
  }
  if (row.state.kind === 'linkable') {
    return (
      <Button onClick={onLink} leftSection={<IconPlugConnected size={18} aria-hidden="true" />} aria-label={`Link ${row.name}`}>
        Link
      </Button>
    );
  }
  return null;
}
