import { Alert, Badge, Button, Group, Loader, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconClockHour4, IconMessage, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { formatWhen } from '../../app/format.ts';
import type { ProgrammeState } from './useProgramme.ts';

/**
 * The thread with the practice (R-ENG-5): large text, the practice's replies, and what the patient
 * writes kept on the phone until it is sent. The thread is fetched when the patient opens it, as
 * opening it marks the practice's messages read.
 */
export function MessagesSection({ state, canSend, practiceName }: { state: ProgrammeState; canSend: boolean; practiceName: string }) {
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const unread = state.home?.unreadMessages ?? 0;

  const show = async () => {
    setOpen(true);
    setLoading(true);
    setProblem(null);
    try {
      await state.loadMessages();
    } catch {
      setProblem(state.messages.length > 0 ? 'You are offline: these are the messages saved on this phone.' : 'Your messages cannot be loaded without a connection. Please try again later.');
    } finally {
      setLoading(false);
    }
  };

  const send = () => {
    const trimmed = text.trim();
    if (!trimmed) {
      setError('Write a message first.');
      return;
    }
    if (!state.sendMessage(trimmed)) {
      setError('This phone could not save your message. Please try again.');
      return;
    }
    setText('');
    setError(null);
    if (!open) void show();
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="messages-heading" id="messages" tabIndex={-1} data-testid="patient-messages" className="no-print">
      <Group gap="sm">
        <Title order={2} id="messages-heading">
          Messages
        </Title>
        {unread > 0 ? (
          <Badge size="xl" color="red" data-testid="patient-unread">
            {unread} new
          </Badge>
        ) : null}
      </Group>
      <Text>Write to {practiceName} here. For anything urgent, please phone them.</Text>
      {!open ? (
        <Button size="lg" variant="default" leftSection={<IconMessage size={22} aria-hidden="true" />} onClick={() => void show()} data-testid="patient-messages-open">
          {unread > 0 ? `Read ${unread} new ${unread === 1 ? 'message' : 'messages'}` : 'Show messages'}
        </Button>
      ) : (
        <Stack gap="sm">
          {loading ? <Loader size="sm" aria-label="Loading messages" /> : null}
          {problem ? (
            <Alert color="orange" variant="light">
              {problem}
            </Alert>
          ) : null}
          {!loading && state.messages.length === 0 && state.waitingMessages.length === 0 && !problem ? <Text>No messages yet.</Text> : null}
          <Stack gap="sm" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Messages with your practice">
            {state.messages.map((m) => (
              <Paper component="li" key={m.id} withBorder p="md" radius="md" className="patient-message" data-author={m.author} data-testid="patient-message">
                <Text size="sm" fw={700}>
                  {m.author === 'practice' ? (m.authorName ?? practiceName) : 'You'} · {formatWhen(m.sentAt)}
                </Text>
                <Text size="lg" style={{ whiteSpace: 'pre-wrap' }}>
                  {m.text}
                </Text>
              </Paper>
            ))}
            {state.waitingMessages.map((m) => (
              <Paper component="li" key={m.clientId} withBorder p="md" radius="md" className="patient-message" data-author="patient" data-testid="patient-message" data-pending>
                <Text size="sm" fw={700}>
                  You
                </Text>
                <Text size="lg" style={{ whiteSpace: 'pre-wrap' }}>
                  {m.text}
                </Text>
                <Text size="sm" c="orange.9">
                  <IconClockHour4 size={16} aria-hidden="true" style={{ verticalAlign: '-2px' }} /> Saved on this phone — will be sent when you are online
                </Text>
              </Paper>
            ))}
          </Stack>
        </Stack>
      )}
      {canSend ? (
        <Stack gap="xs">
          <Textarea
            label="Your message"
            size="lg"
            autosize
            minRows={3}
            maxLength={2000}
            value={text}
            error={error}
            onChange={(event) => setText(event.currentTarget.value)}
            data-testid="patient-message-text"
          />
          <Button size="lg" leftSection={<IconSend size={22} aria-hidden="true" />} onClick={send} data-testid="patient-message-send">
            Send
          </Button>
        </Stack>
      ) : (
        <Text data-testid="patient-messages-closed">New messages cannot be sent for this programme. Please phone your practice.</Text>
      )}
    </Stack>
  );
}
