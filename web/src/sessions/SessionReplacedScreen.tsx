import { Alert, Button, Group, List, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconDevices, IconShieldCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { sessionContracts, type SessionReplacedDetails } from '../../../src/sessions/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { describeUserAgent, formatDateTime } from '../app/format.ts';
import { safeNext } from '../app/forms.ts';
import { AuthFrame, usePageTitle } from '../app/ui.tsx';
import type { SessionEnd } from './notices.ts';
import { useSession } from './session.tsx';

interface Props {
  end: SessionEnd | null;
  /** Where to return after signing in again. */
  next: string;
}

/**
 * Shown in place of any signed-in page once the server says this session was replaced by a newer
 * sign-in of the same account (R-SES-1), and at /session-replaced.
 */
export function SessionReplacedScreen({ end, next }: Props) {
  usePageTitle('You were signed out');
  const navigate = useNavigate();
  const { clearSessionEnd, leaveTo } = useSession();

  /** Clearing the notice makes the page's guard redirect at once; it goes where the person chose. */
  const leave = (to: string) => {
    leaveTo(to);
    clearSessionEnd();
    navigate(to);
  };
  // Read back from the tab's storage too, so any field may be missing.
  const details: Partial<SessionReplacedDetails> =
    end?.code === 'session_replaced' && end.details && typeof end.details === 'object'
      ? (end.details as Partial<SessionReplacedDetails>)
      : {};
  const browser = details.browser || (details.userAgent ? describeUserAgent(details.userAgent) : null);

  // R-SES-3: the report carries the ended session's own CSRF token, which only this page holds.
  const endedCsrfToken = end?.csrfToken ?? null;
  const report = useMutation({
    mutationFn: () =>
      call(sessionContracts.reportNotMe, {}, { csrf: false, reportSessionEnd: false, headers: endedCsrfToken ? { 'x-csrf-token': endedCsrfToken } : {} }),
  });

  const signInAgain = () => {
    leave(`/sign-in?next=${encodeURIComponent(safeNext(next))}`);
  };

  if (report.isSuccess) {
    return (
      <AuthFrame width={540}>
        <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }} data-testid="report-not-me-done">
          <Stack gap="md">
            <ThemeIcon size={44} radius="xl" color="motus" variant="light" aria-hidden="true">
              <IconShieldCheck size={26} />
            </ThemeIcon>
            <Title order={1} size="h2">
              We've secured your account
            </Title>
            <List spacing="xs">
              <List.Item>All sessions of your account have been ended, on every device.</List.Item>
              <List.Item>We've emailed you a link to reset your password.</List.Item>
              <List.Item>You must choose a new password before you can sign in again.</List.Item>
            </List>
            <Text size="sm" c="dimmed">
              If your account belongs to an organisation, its owner has been told too.
            </Text>
            <Group>
              <Button
                onClick={() => leave('/sign-in?reason=reported_not_me')}
              >
                Go to sign in
              </Button>
              <Button
                variant="default"
                onClick={() => leave('/forgot-password')}
              >
                Send the reset link again
              </Button>
            </Group>
          </Stack>
        </Paper>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame width={540}>
      <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }} data-testid="session-replaced">
        <Stack gap="md">
          <ThemeIcon size={44} radius="xl" color="orange" variant="light" aria-hidden="true">
            <IconDevices size={26} />
          </ThemeIcon>
          <Title order={1} size="h2">
            You were signed out
          </Title>
          <Text>You were signed out because your account was signed in on another device.</Text>
          {details.replacedAt || browser || details.ip ? (
            <Paper bg="gray.0" p="md" radius="md">
              <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" component="dl" m={0}>
                <Stack gap={2}>
                  <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
                    When
                  </Text>
                  <Text component="dd" m={0} fw={500} data-testid="replaced-at">
                    {formatDateTime(details.replacedAt)}
                  </Text>
                </Stack>
                <Stack gap={2}>
                  <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
                    Browser
                  </Text>
                  <Text component="dd" m={0} fw={500} data-testid="replaced-browser">
                    {browser ?? 'Unknown'}
                  </Text>
                </Stack>
                <Stack gap={2}>
                  <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
                    IP address
                  </Text>
                  <Text component="dd" m={0} fw={500} className="break-anywhere" data-testid="replaced-ip">
                    {details.ip ?? 'Unknown'}
                  </Text>
                </Stack>
              </SimpleGrid>
            </Paper>
          ) : null}
          <Text size="sm" c="dimmed">
            A Motus account belongs to one person and is signed in on one device at a time. Anything you were typing
            has been kept and will be offered back when you sign in again.
          </Text>
          {report.isError ? (
            <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
              {errorMessage(report.error)}
            </Alert>
          ) : null}
          <Group>
            <Button onClick={signInAgain}>Sign in again</Button>
            <Button
              variant="outline"
              color="red"
              loading={report.isPending}
              onClick={() => report.mutate()}
            >
              This wasn't me
            </Button>
          </Group>
        </Stack>
      </Paper>
    </AuthFrame>
  );
}

/** The /session-replaced page: the same notice, from what was remembered when the session ended. */
export function SessionReplacedPage() {
  const { sessionEnd } = useSession();
  const location = useLocation();
  const state = location.state as { next?: string } | null;
  const next = state?.next ?? (sessionEnd?.path && !sessionEnd.path.startsWith('/session-replaced') ? sessionEnd.path : '/');
  return <SessionReplacedScreen end={sessionEnd} next={next} />;
}
