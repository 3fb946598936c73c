import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconInfoCircle, IconMessages, IconSend } from '@tabler/icons-react';
import { useRef, useState, type FormEvent } from 'react';
import type { MessageView } from '../../../../src/engagement/schemas.ts';
import type { ProgrammeView } from '../../../../src/programmes/schemas.ts';
import { errorMessage, isApiError } from '../../app/api.ts';
import { formatWhen } from '../../app/format.ts';
import { EmptyState, ErrorBlock, FormError, LoadingBlock } from '../../app/ui.tsx';
import { DraftOfferAlert, DraftStatusText } from '../../drafts/DraftOfferAlert.tsx';
import { useDraft } from '../../drafts/useDraft.ts';
import { useProgrammeMessages, useSendMessage } from '../queries.ts';
import { clientIdKeeper, replyBlockedReason } from './engagement.ts';

/** The reply being typed is kept as a draft per programme (R-SES-2). */
export const MESSAGE_DRAFT = 'programme-message';
const MAX_LENGTH = 2000;

interface ReplyValues {
  text: string;
}
const NO_REPLY: ReplyValues = { text: '' };

/** R-ENG-5: the programme's thread with the patient, and the practitioner's reply. */
export function ProgrammeMessages({ programme, patientFirstName }: { programme: ProgrammeView; patientFirstName: string }) {
  const thread = useProgrammeMessages(programme.patientId, programme.id);
  if (thread.isPending) return <LoadingBlock label="Loading messages" />;
  if (thread.isError) return <ErrorBlock error={thread.error} onRetry={() => void thread.refetch()} />;
  const { messages, canReply } = thread.data;
  return (
    <Stack gap="md" data-testid="programme-messages">
      {messages.length === 0 ? (
        <EmptyState icon={IconMessages} title="No messages yet">
          {patientFirstName} can write to you from their programme page. You can write first, too.
        </EmptyState>
      ) : (
        <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Messages" data-testid="message-thread">
          {messages.map((message) => (
            <MessageRow key={message.id} message={message} patientFirstName={patientFirstName} />
          ))}
        </Stack>
      )}
      {canReply ? (
        <ReplyBox programme={programme} patientFirstName={patientFirstName} />
      ) : (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />} data-testid="reply-blocked">
          {replyBlockedReason(programme.state)}
        </Alert>
      )}
    </Stack>
  );
}

function MessageRow({ message, patientFirstName }: { message: MessageView; patientFirstName: string }) {
  const fromPatient = message.author === 'patient';
  const who = fromPatient ? patientFirstName : (message.authorName ?? 'Your practice');
  return (
    <Paper
      component="li"
      withBorder
      p="sm"
      radius="md"
      bg={fromPatient ? 'gray.0' : 'motus.0'}
      ml={fromPatient ? 0 : 'xl'}
      mr={fromPatient ? 'xl' : 0}
      data-testid="message"
      data-author={message.author}
    >
      <Group justify="space-between" gap="xs" mb={4} wrap="wrap">
        <Text size="xs" fw={600}>
          {who}
        </Text>
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            {formatWhen(message.sentAt)}
          </Text>
          {!fromPatient ? (
            <Badge size="xs" variant="light" color={message.read ? 'green' : 'gray'} tt="none">
              {message.read ? 'Read' : 'Not read yet'}
            </Badge>
          ) : null}
        </Group>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} className="break-anywhere">
        {message.text}
      </Text>
    </Paper>
  );
}

function ReplyBox({ programme, patientFirstName }: { programme: ProgrammeView; patientFirstName: string }) {
  const [values, setValues] = useState<ReplyValues>(NO_REPLY);
  const [problem, setProblem] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const keeper = useRef(clientIdKeeper());
  const send = useSendMessage(programme.patientId, programme.id);
  // R-SES-2: a reply cut short by the end of the session is offered back after signing in again.
  const draft = useDraft<ReplyValues>(MESSAGE_DRAFT, programme.id, values, {
    baseline: NO_REPLY,
    onRestore: (data) => setValues({ text: typeof data?.text === 'string' ? data.text : '' }),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setFieldError(null);
    const text = values.text.trim();
    if (text === '') {
      setFieldError('Write a message first.');
      return;
    }
    try {
      // The same text sent again (after a lost answer) carries the same client id: sent once.
      await send.mutateAsync({ clientId: keeper.current.idFor(text), text });
      keeper.current.reset();
      setValues(NO_REPLY);
      await draft.clear();
    } catch (error) {
      const fields = isApiError(error) ? error.fieldErrors() : {};
      if (fields.text) setFieldError(fields.text);
      else setProblem(errorMessage(error));
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={`Reply to ${patientFirstName}`} data-testid="reply-form">
      <Stack gap="xs">
        <DraftOfferAlert draft={draft} />
        <FormError message={problem} />
        <Textarea
          label={`Reply to ${patientFirstName}`}
          description="It shows on their programme page, in this thread."
          autosize
          minRows={2}
          maxRows={8}
          maxLength={MAX_LENGTH}
          value={values.text}
          onChange={(event) => setValues({ text: event.currentTarget.value })}
          error={fieldError}
          data-testid="reply-text"
        />
        <Group justify="space-between" gap="sm">
          <DraftStatusText status={draft.status} savedAt={draft.savedAt} />
          <Button type="submit" leftSection={<IconSend size={16} aria-hidden="true" />} loading={send.isPending} ml="auto">
            Send reply
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
