import { Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCrown, IconMailOpened } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { membershipContracts } from '../../../src/memberships/schemas.ts';
import { organisationContracts, type OpenInvitationView, type OwnershipOfferView } from '../../../src/organisations/schemas.ts';
import { call, errorMessage, isApiError } from '../app/api.ts';
import { formatDate } from '../app/format.ts';
import { SUBSCRIPTION_BILLING } from '../billing/billing.ts';
import { SESSION_QUERY_KEY } from '../sessions/session.tsx';
import { WORKSPACE_QUERY_KEY, useWorkspace } from './workspace.ts';

/**
 * R-PRA-1, R-ORG-2: the Accept / Decline prompts of a signed-in person, for each open invitation
 * and each offer of ownership. Shown above every signed-in page until answered.
 */
export function WorkspacePrompts() {
  const workspace = useWorkspace();
  const invitations = workspace.data?.invitations ?? [];
  const offers = workspace.data?.ownershipOffers ?? [];
  if (invitations.length === 0 && offers.length === 0) return null;
  return (
    <Stack gap="sm" mb="lg">
      {invitations.map((invitation) => (
        <InvitationPrompt key={invitation.id} invitation={invitation} />
      ))}
      {offers.map((offer) => (
        <OwnershipOfferPrompt key={offer.id} offer={offer} />
      ))}
    </Stack>
  );
}

function useRefreshAfterDecision() {
  const queryClient = useQueryClient();
  return async (organisationId: string) => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY }),
      queryClient.invalidateQueries({ queryKey: ['organisation', organisationId] }),
      // Joining copies the organisation's practice details onto the account (R-ORG-4).
      queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY }),
      // A licence now comes from there; joining an organisation ends one's own subscription (R-PRA-7).
      queryClient.invalidateQueries({ queryKey: SUBSCRIPTION_BILLING.key }),
    ]);
  };
}

function InvitationPrompt({ invitation }: { invitation: OpenInvitationView }) {
  const refresh = useRefreshAfterDecision();
  const navigate = useNavigate();
  const headingId = `invitation-${invitation.id}`;

  const closedOrFailed = async (error: unknown, what: string) => {
    if (isApiError(error, 'invitation_closed') || isApiError(error, 'not_found')) {
      notifications.show({ color: 'orange', title: 'This invitation is no longer open', message: 'It was revoked, replaced or has expired.' });
      await refresh(invitation.organisationId);
      return;
    }
    notifications.show({ color: 'red', title: what, message: errorMessage(error) });
  };

  const accept = useMutation({
    mutationFn: () => call(membershipContracts.accept, { params: { memberId: invitation.id } }),
    onSuccess: async (answer) => {
      notifications.show({ color: 'motus', title: `You joined ${invitation.organisation}`, message: 'Welcome aboard.' });
      await refresh(invitation.organisationId);
      if (!answer.member.roles.practitioner && answer.member.roles.admin) navigate(`/console/${answer.organisationId}`);
    },
    onError: (error) => closedOrFailed(error, 'The invitation was not accepted'),
  });

  const decline = useMutation({
    mutationFn: () => call(membershipContracts.decline, { params: { memberId: invitation.id } }),
    onSuccess: async () => {
      notifications.show({ color: 'motus', message: `You declined the invitation to ${invitation.organisation}.` });
      await refresh(invitation.organisationId);
    },
    onError: (error) => closedOrFailed(error, 'The invitation was not declined'),
  });

  const inviter = invitation.inviter ?? 'An administrator';

  return (
    <DecisionPrompt
      testId="invitation-prompt"
      headingId={headingId}
      color="motus"
      icon={<IconMailOpened size={22} />}
      title={`Invitation to join ${invitation.organisation}`}
      subject={`invitation to ${invitation.organisation}`}
      accept={accept}
      decline={decline}
    >
      <Text size="sm">
        {inviter} invited you to use Motus with {invitation.organisation}
        {invitation.practitioner ? ', with a practitioner licence.' : ', to help run its organisation console.'}
      </Text>
      <Text size="xs" c="dimmed">
        Open until {formatDate(invitation.expiresAt)}
      </Text>
    </DecisionPrompt>
  );
}

function OwnershipOfferPrompt({ offer }: { offer: OwnershipOfferView }) {
  const refresh = useRefreshAfterDecision();
  const headingId = `ownership-offer-${offer.id}`;

  const failed = async (error: unknown, what: string) => {
    if (isApiError(error, 'transfer_closed') || isApiError(error, 'not_found')) {
      notifications.show({ color: 'orange', title: 'This offer is no longer open', message: errorMessage(error) });
      await refresh(offer.organisationId);
      return;
    }
    notifications.show({ color: 'red', title: what, message: errorMessage(error) });
  };

  const accept = useMutation({
    mutationFn: () => call(organisationContracts.acceptOwnership, { params: { transferId: offer.id } }),
    onSuccess: async () => {
      notifications.show({ color: 'motus', title: `You are now the owner of ${offer.organisation}`, message: 'Payments & billing are now yours to manage.' });
      await refresh(offer.organisationId);
    },
    onError: (error) => failed(error, 'Ownership was not accepted'),
  });

  const decline = useMutation({
    mutationFn: () => call(organisationContracts.declineOwnership, { params: { transferId: offer.id } }),
    onSuccess: async () => {
      notifications.show({ color: 'motus', message: `You declined ownership of ${offer.organisation}.` });
      await refresh(offer.organisationId);
    },
    onError: (error) => failed(error, 'Ownership was not declined'),
  });

  return (
    <DecisionPrompt
      testId="ownership-offer-prompt"
      headingId={headingId}
      color="indigo"
      icon={<IconCrown size={22} />}
      title={`Become the owner of ${offer.organisation}?`}
      subject={`ownership of ${offer.organisation}`}
      accept={accept}
      decline={decline}
    >
      <Text size="sm">
        {offer.from} wants to hand the ownership of {offer.organisation} to you. As owner you would also manage
        payments and billing; {offer.from} stays a member.
      </Text>
    </DecisionPrompt>
  );
}

interface PendingAction {
  mutate: () => void;
  isPending: boolean;
}

/** The shared layout of an Accept / Decline prompt; the buttons' names say what they decide. */
function DecisionPrompt(props: {
  testId: string;
  headingId: string;
  color: 'motus' | 'indigo';
  icon: ReactNode;
  title: string;
  /** Completes "Accept …" and "Decline …" for screen readers, e.g. "invitation to Riverside". */
  subject: string;
  accept: PendingAction;
  decline: PendingAction;
  children: ReactNode;
}) {
  const { accept, decline } = props;
  const busy = accept.isPending || decline.isPending;
  return (
    <Paper
      withBorder
      shadow="xs"
      p={{ base: 'md', sm: 'lg' }}
      component="section"
      aria-labelledby={props.headingId}
      data-testid={props.testId}
      style={{ borderColor: `var(--mantine-color-${props.color}-3)`, background: `var(--mantine-color-${props.color}-0)` }}
    >
      <Group justify="space-between" align="center" gap="md">
        <Group gap="md" wrap="nowrap" align="flex-start" style={{ flex: '1 1 320px', minWidth: 0 }}>
          <ThemeIcon size={40} radius="xl" variant="white" color={props.color} aria-hidden="true">
            {props.icon}
          </ThemeIcon>
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Title order={2} size="h4" id={props.headingId}>
              {props.title}
            </Title>
            {props.children}
          </Stack>
        </Group>
        <Group gap="sm" wrap="nowrap">
          <Button variant="default" onClick={() => decline.mutate()} loading={decline.isPending} disabled={busy && !decline.isPending} aria-label={`Decline ${props.subject}`}>
            Decline
          </Button>
          <Button color={props.color} onClick={() => accept.mutate()} loading={accept.isPending} disabled={busy && !accept.isPending} aria-label={`Accept ${props.subject}`}>
            Accept
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
