import { Alert, Anchor, Button, Divider, Group, Loader, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { useMemo, useState, type MouseEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PasswordHint } from '../accounts/PasswordHint.tsx';
import { NAME_MAX, passwordProblem } from '../accounts/schemas.ts';
import { call, errorMessage, hasErrorCode, isApiError, setCsrfToken } from '../app/api.ts';
import { formatDateTime } from '../app/format.ts';
import { applyServerErrors } from '../app/forms.ts';
import { AuthCard, FormError } from '../app/ui.tsx';
import { useSession } from '../sessions/session.tsx';
import { sessionContracts } from '../../../src/sessions/schemas.ts';
import { membershipContracts, type InvitationByTokenView } from '../../../src/memberships/schemas.ts';
import { WORKSPACE_QUERY_KEY } from './workspace.ts';

function joinSchema(email: string) {
  return z
    .object({
      name: z.string().trim().min(1, 'Enter your name.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
      password: z.string(),
    })
    .superRefine((values, ctx) => {
      const problem = passwordProblem(values.password, { email, name: values.name });
      if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
    });
}

function signInPath(email: string): string {
  const params = new URLSearchParams({ next: '/', reason: 'invitation', email });
  return `/sign-in?${params.toString()}`;
}

/**
 * /invitations/accept?token=…: the page behind the emailed link (R-PRA-1). A new person chooses a
 * password and joins; a person with an account signs in to accept; anybody can decline.
 */
export function InvitationAcceptPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [declined, setDeclined] = useState<string | null>(null);

  const invitation = useQuery({
    queryKey: ['invitation-link', token],
    queryFn: () => call(membershipContracts.invitationByToken, { query: { token } }, { reportSessionEnd: false }).then((a) => a.invitation),
    enabled: token.length >= 10,
    retry: false,
    staleTime: Infinity,
  });

  if (declined) {
    return (
      <AuthCard title="Invitation declined">
        <Stack gap="md" data-testid="invitation-declined">
          <Alert color="motus" variant="light" icon={<IconCircleCheck size={18} aria-hidden="true" />}>
            You declined the invitation to {declined}. Nothing was created, and the link no longer works.
          </Alert>
          <Text size="sm" c="dimmed">
            Changed your mind? Ask whoever invited you to send a new invitation.
          </Text>
          <Button component={Link} to="/" variant="default" fullWidth>
            Go to Motus
          </Button>
        </Stack>
      </AuthCard>
    );
  }

  if (token.length < 10 || invitation.isError) {
    const closed = token.length < 10 || isApiError(invitation.error, 'not_found') || hasErrorCode(invitation.error, 'validation_failed');
    return (
      <AuthCard title="This invitation can't be used">
        <Stack gap="md" data-testid="invitation-invalid">
          <Alert color="orange" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            {closed
              ? 'The link has expired, was replaced by a newer email, or the invitation was accepted, declined or revoked already.'
              : errorMessage(invitation.error)}
          </Alert>
          <Text size="sm" c="dimmed">
            Invitations are open for a limited time. Ask whoever invited you to send it again, and use the link in the newest email.
          </Text>
          <Button component={Link} to="/sign-in" fullWidth>
            Go to sign in
          </Button>
        </Stack>
      </AuthCard>
    );
  }

  if (invitation.isPending) {
    return (
      <AuthCard title="Your invitation">
        <Group gap="sm" role="status">
          <Loader size="sm" aria-hidden="true" />
          <Text c="dimmed">Opening your invitation…</Text>
        </Group>
      </AuthCard>
    );
  }

  const found = invitation.data;
  const inviter = found.inviter ?? 'An administrator';
  return (
    <AuthCard title={`Join ${found.organisation}`} description={`${inviter} invited you to use Motus with ${found.organisation}.`} width={480}>
      <Stack gap="lg">
        <InvitationFacts invitation={found} />
        {found.hasAccount ? (
          <ExistingAccount invitation={found} token={token} onDeclined={() => setDeclined(found.organisation)} />
        ) : (
          <NewAccount invitation={found} token={token} onDeclined={() => setDeclined(found.organisation)} />
        )}
      </Stack>
    </AuthCard>
  );
}

function InvitationFacts({ invitation }: { invitation: InvitationByTokenView }) {
  const rows = [
    { term: 'Organisation', value: invitation.organisation },
    { term: 'Invited by', value: invitation.inviter ?? 'An administrator' },
    { term: 'Your email', value: invitation.email, testId: 'invitation-email' },
    { term: 'Open until', value: formatDateTime(invitation.expiresAt) },
  ];
  return (
    <Stack component="dl" gap={6} m={0} p="sm" bg="gray.0" style={{ borderRadius: 'var(--mantine-radius-md)' }}>
      {rows.map((row) => (
        <Group key={row.term} component="div" justify="space-between" gap="sm" wrap="nowrap" align="flex-start">
          <Text component="dt" size="sm" c="dimmed" style={{ flexShrink: 0 }}>
            {row.term}
          </Text>
          <Text component="dd" m={0} size="sm" fw={600} ta="right" className="break-anywhere" data-testid={row.testId}>
            {row.value}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

function useDecline(token: string, onDeclined: () => void) {
  return useMutation({
    mutationFn: () => call(membershipContracts.declineByToken, { body: { token } }, { reportSessionEnd: false }),
    onSuccess: onDeclined,
  });
}

function DeclineButton({ token, onDeclined }: { token: string; onDeclined: () => void }) {
  const decline = useDecline(token, onDeclined);
  return (
    <Stack gap="xs">
      {decline.isError ? (
        <Alert color="red" variant="light" role="alert">
          {isApiError(decline.error, 'invitation_closed') ? 'This invitation is no longer open.' : errorMessage(decline.error)}
        </Alert>
      ) : null}
      <Button variant="subtle" color="gray" fullWidth onClick={() => decline.mutate()} loading={decline.isPending}>
        Decline
      </Button>
    </Stack>
  );
}

/** A new person: chooses a password, which creates their account (already verified by the link). */
function NewAccount({ invitation, token, onDeclined }: { invitation: InvitationByTokenView; token: string; onDeclined: () => void }) {
  const { status, account, signedIn } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const schema = useMemo(() => joinSchema(invitation.email), [invitation.email]);
  const form = useForm({
    initialValues: { name: invitation.name, password: '' },
    validate: schemaResolver(schema, { sync: true }),
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(membershipContracts.acceptByToken, { body: { token, password: values.password, name: values.name.trim() } }, { csrf: false, reportSessionEnd: false });
      if (answer.session) setCsrfToken(answer.session.csrfToken);
      const me = await call(sessionContracts.current, {}, { reportSessionEnd: false });
      signedIn(me);
      await queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY });
      notifications.show({ color: 'motus', title: `Welcome to ${invitation.organisation}`, message: 'Your account is ready and you are signed in.' });
      navigate('/', { replace: true });
    } catch (error) {
      form.setFieldValue('password', '');
      if (isApiError(error, 'sign_in_required')) {
        navigate(signInPath(invitation.email), { replace: true });
        return;
      }
      if (isApiError(error, 'not_found') || isApiError(error, 'invitation_closed')) {
        setProblem('This invitation is no longer open. Ask whoever invited you to send it again.');
        return;
      }
      setProblem(applyServerErrors(form, error, ['name', 'password']));
    }
  });

  return (
    <Stack gap="md">
      {status === 'signed-in' && account && account.email !== invitation.email ? (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />}>
          You are signed in as <strong className="break-anywhere">{account.email}</strong> on this browser. Joining creates a
          separate account for <strong className="break-anywhere">{invitation.email}</strong> and signs you in with it.
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Stack gap={2}>
            <Title order={2} size="h5">
              Choose a password
            </Title>
            <Text size="sm" c="dimmed">
              This creates your personal Motus account. Accounts are personal: never share yours.
            </Text>
          </Stack>
          <FormError message={problem} />
          <TextInput label="Name" autoComplete="name" required withAsterisk={false} {...form.getInputProps('name')} />
          <input type="email" name="email" autoComplete="username" value={invitation.email} readOnly hidden />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            required
            withAsterisk={false}
            autoFocus
            description={<PasswordHint password={form.values.password} />}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.getInputProps('password')}
          />
          <Button type="submit" fullWidth size="md" loading={form.submitting}>
            Join {invitation.organisation}
          </Button>
        </Stack>
      </form>
      <Divider label="Not for you?" labelPosition="center" />
      <DeclineButton token={token} onDeclined={onDeclined} />
    </Stack>
  );
}

/** A person who has an account: accepts while signed in as it, or signs in first. */
function ExistingAccount({ invitation, token, onDeclined }: { invitation: InvitationByTokenView; token: string; onDeclined: () => void }) {
  const { status, account, signOut } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signedInAsInvited = status === 'signed-in' && account?.email.toLowerCase() === invitation.email.toLowerCase();
  const signedInAsOther = status === 'signed-in' && !signedInAsInvited;

  const accept = useMutation({
    mutationFn: () => call(membershipContracts.acceptByToken, { body: { token } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY });
      notifications.show({ color: 'motus', title: `You joined ${invitation.organisation}`, message: 'Welcome aboard.' });
      navigate('/', { replace: true });
    },
    onError: (error) => {
      if (isApiError(error, 'sign_in_required')) navigate(signInPath(invitation.email), { replace: true });
    },
  });

  const signInToAccept = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (!signedInAsOther) return;
    // Another account is signed in here: it signs out first, so the sign-in page shows.
    event.preventDefault();
    await signOut();
    navigate(signInPath(invitation.email));
  };

  return (
    <Stack gap="md">
      {signedInAsInvited ? (
        <>
          <Text size="sm">
            You are signed in as <strong className="break-anywhere">{invitation.email}</strong>.
          </Text>
          {accept.isError && !isApiError(accept.error, 'sign_in_required') ? (
            <Alert color="red" variant="light" role="alert">
              {isApiError(accept.error, 'invitation_closed') || isApiError(accept.error, 'not_found')
                ? 'This invitation is no longer open.'
                : errorMessage(accept.error)}
            </Alert>
          ) : null}
          <Button fullWidth size="md" onClick={() => accept.mutate()} loading={accept.isPending}>
            Accept
          </Button>
        </>
      ) : (
        <>
          <Text size="sm">
            You already have a Motus account with <strong className="break-anywhere">{invitation.email}</strong>. Sign in
            to accept: the invitation is waiting for you there.
          </Text>
          {signedInAsOther && account ? (
            <Text size="sm" c="dimmed">
              This browser is signed in as <span className="break-anywhere">{account.email}</span>. Signing in to accept
              signs that account out here.
            </Text>
          ) : null}
          <Button component={Link} to={signInPath(invitation.email)} fullWidth size="md" onClick={(event: MouseEvent<HTMLAnchorElement>) => void signInToAccept(event)}>
            Sign in to accept
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            Forgot your password?{' '}
            <Anchor component={Link} to="/forgot-password" inherit>
              Reset it
            </Anchor>
          </Text>
        </>
      )}
      <Divider label="Not for you?" labelPosition="center" />
      <DeclineButton token={token} onDeclined={onDeclined} />
    </Stack>
  );
}
