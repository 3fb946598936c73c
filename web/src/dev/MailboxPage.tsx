import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Center,
  Container,
  Divider,
  Grid,
  Group,
  List,
  Loader,
  Paper,
  ScrollArea,
  Stack,
  Text,
  ThemeIcon,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertTriangle, IconExternalLink, IconInbox, IconMailOff, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { MailboxMessageView } from '../../../src/mail/schemas.ts';
import { errorMessage } from '../app/api.ts';
import { Brand } from '../app/Brand.tsx';
import { formatWhen } from '../app/format.ts';
import { usePageTitle } from '../app/ui.tsx';
import { useSession } from '../sessions/session.tsx';
import { MAILBOX_QUERY_KEY, fetchMailbox } from './mailbox.ts';

/**
 * /dev/mailbox: the emails Motus would have sent, for local development and demos (the server
 * answers 404 when it is turned off). Reachable without signing in.
 */
export function MailboxPage() {
  usePageTitle('Development mailbox');
  const { status } = useSession();
  const [params, setParams] = useSearchParams();
  const viewRef = useRef<HTMLHeadingElement>(null);
  const mailbox = useQuery({
    queryKey: MAILBOX_QUERY_KEY,
    queryFn: fetchMailbox,
    refetchInterval: (query) => (query.state.data === null ? false : 3000),
    staleTime: 0,
  });

  const messages = mailbox.data ?? [];
  const selectedId = params.get('message');
  const selected = messages.find((message) => message.id === selectedId) ?? messages[0] ?? null;

  const select = (message: MailboxMessageView) => {
    setParams({ message: message.id }, { replace: true });
    // On a phone the message shows below the list: take the reader there.
    requestAnimationFrame(() => viewRef.current?.focus({ preventScroll: false }));
  };

  return (
    <Box bg="gray.0" mih="100dvh">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="xl" h={60}>
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Anchor component={Link} to="/" underline="never" aria-label="Motus home">
                <Brand />
              </Anchor>
              <Badge color="orange" variant="light" visibleFrom="xs">
                Development
              </Badge>
            </Group>
            <Anchor component={Link} to={status === 'signed-in' ? '/' : '/sign-in'} size="sm" fw={600}>
              {status === 'signed-in' ? 'Back to Motus' : 'Sign in'}
            </Anchor>
          </Group>
        </Container>
      </Box>

      <Container size="xl" py="xl" component="main" id="main" tabIndex={-1} style={{ outline: 'none' }}>
        <Group justify="space-between" align="flex-end" mb="lg">
          <Stack gap={4}>
            <Title order={1} size="h2">
              Development mailbox
            </Title>
            <Text c="dimmed">Emails Motus would have sent. Used when no mail server is configured.</Text>
          </Stack>
          {mailbox.data !== null ? (
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} aria-hidden="true" />}
              onClick={() => void mailbox.refetch()}
              loading={mailbox.isFetching && !mailbox.isPending}
            >
              Refresh
            </Button>
          ) : null}
        </Group>

        {mailbox.isPending ? (
          <Center py="xl" role="status">
            <Group gap="sm">
              <Loader size="sm" aria-hidden="true" />
              <Text c="dimmed">Loading messages…</Text>
            </Group>
          </Center>
        ) : mailbox.isError ? (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            {errorMessage(mailbox.error)}
          </Alert>
        ) : mailbox.data === null ? (
          <Paper withBorder p="xl">
            <Stack align="center" gap="xs">
              <ThemeIcon size={48} radius="xl" variant="light" color="gray" aria-hidden="true">
                <IconMailOff size={26} />
              </ThemeIcon>
              <Text fw={600}>The development mailbox is turned off</Text>
              <Text size="sm" c="dimmed" ta="center">
                This installation sends real email, so there is nothing to show here.
              </Text>
            </Stack>
          </Paper>
        ) : messages.length === 0 ? (
          <Paper withBorder p="xl">
            <Stack align="center" gap="xs">
              <ThemeIcon size={48} radius="xl" variant="light" aria-hidden="true">
                <IconInbox size={26} />
              </ThemeIcon>
              <Text fw={600}>No messages yet</Text>
              <Text size="sm" c="dimmed" ta="center">
                Sign up or ask for a password reset, and the email appears here within a few seconds.
              </Text>
            </Stack>
          </Paper>
        ) : (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Paper withBorder p="xs">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600} px="sm" pt="xs" pb={6} id="mailbox-list-label">
                  {messages.length} message{messages.length === 1 ? '' : 's'}, newest first
                </Text>
                <ScrollArea.Autosize mah={520} type="auto">
                  <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby="mailbox-list-label">
                    {messages.map((message) => {
                      const active = selected?.id === message.id;
                      return (
                        <li key={message.id}>
                          <UnstyledButton
                            className="mailbox-item"
                            data-active={active || undefined}
                            aria-current={active ? 'true' : undefined}
                            data-testid="mailbox-message"
                            onClick={() => select(message)}
                            w="100%"
                            p="sm"
                            style={{ borderRadius: 'var(--mantine-radius-md)', border: '1px solid transparent' }}
                          >
                            <Text fw={600} size="sm" lineClamp={2}>
                              {message.subject}
                            </Text>
                            <Group justify="space-between" gap="xs" wrap="nowrap">
                              <Text size="xs" c="dimmed" truncate>
                                To {message.to}
                              </Text>
                              <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                                {formatWhen(message.createdAt)}
                              </Text>
                            </Group>
                          </UnstyledButton>
                        </li>
                      );
                    })}
                  </Stack>
                </ScrollArea.Autosize>
              </Paper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              {selected ? <MessageView message={selected} headingRef={viewRef} /> : null}
            </Grid.Col>
          </Grid>
        )}
      </Container>
    </Box>
  );
}

function MessageView({
  message,
  headingRef,
}: {
  message: MailboxMessageView;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="article" aria-labelledby="message-subject" data-testid="mailbox-message-view">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h3" id="message-subject" ref={headingRef} tabIndex={-1} style={{ outline: 'none' }}>
            {message.subject}
          </Title>
          <Text size="sm" c="dimmed" className="break-anywhere">
            To {message.to} · {formatWhen(message.createdAt)}
          </Text>
        </Stack>
        {message.links.length > 0 ? (
          <Paper bg="motus.0" p="md" radius="md">
            <Text size="sm" fw={600} mb={6}>
              Links in this message
            </Text>
            <List spacing={6} size="sm" icon={<IconExternalLink size={14} aria-hidden="true" />} center>
              {message.links.map((link) => (
                <List.Item key={link}>
                  <Anchor href={link} className="break-anywhere" data-testid="mailbox-link">
                    {link}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          </Paper>
        ) : null}
        <Divider />
        <Text component="pre" className="message-text" size="sm" data-testid="mailbox-message-text">
          {message.text}
        </Text>
      </Stack>
    </Paper>
  );
}
