/** Pieces the key and link screens share: the status badge, the one-time showing of a key, the list of keys and the revoke dialog. */
import { Alert, Badge, Button, Code, Group, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { IconCheck, IconCopy, IconKey, IconTrash } from '@tabler/icons-react';
import { useRef, useState, type ReactNode } from 'react';
import type { ApiKeyView } from '../../../src/integrations/schemas.ts';
import { ConfirmDialog } from '../app/ConfirmDialog.tsx';
import { formatDateTime } from '../app/format.ts';
import { EmptyState } from '../app/ui.tsx';
import { describeExpiry, describeLastUse, keyStatus, scopeLabels } from './keys.ts';

export function KeyStatusBadge({ status }: { status: string }) {
  const { label, color } = keyStatus(status);
  return (
    <Badge color={color} variant="light" size="lg" radius="sm" tt="none" fw={600} data-testid="api-key-status" style={{ flexShrink: 0 }}>
      {label}
    </Badge>
  );
}

/**
 * R-INT-3: a new key is shown once, here, and never again: the server keeps only its hash. The
 * copy button falls back to selecting the key for the person to copy where the browser refuses.
 */
export function KeyOnce({ token, children, onDone }: { token: string; children?: ReactNode; onDone: () => void }) {
  const clipboard = useClipboard({ timeout: 2_000 });
  const input = useRef<HTMLTextAreaElement>(null);
  const copy = () => {
    clipboard.copy(token);
    input.current?.select();
  };
  return (
    <Stack gap="md" data-testid="api-key-once">
      <Alert color="yellow" variant="light" icon={<IconKey size={18} aria-hidden="true" />} title="Copy this key now. You will not see it again.">
        <Text size="sm">Motus keeps only a fingerprint of it. If it is lost, revoke it and make a new one.</Text>
      </Alert>
      {children}
      <Textarea
        ref={input}
        label="The key"
        value={token}
        readOnly
        autosize
        minRows={1}
        size="md"
        onFocus={(event) => event.currentTarget.select()}
        // Wraps on a phone, so the whole key can be seen and checked.
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' } }}
        data-testid="api-key-token"
        data-autofocus
      />
      {clipboard.error ? (
        <Text size="sm" c="red.8" role="alert">
          The key could not be copied for you. It is selected above: copy it with Ctrl+C (⌘C on a Mac).
        </Text>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="light" onClick={copy} leftSection={clipboard.copied ? <IconCheck size={18} aria-hidden="true" /> : <IconCopy size={18} aria-hidden="true" />}>
          {clipboard.copied ? 'Copied' : 'Copy key'}
        </Button>
        <Button onClick={onDone}>Done</Button>
      </Group>
      <span className="visually-hidden" aria-live="polite">
        {clipboard.copied ? 'The key was copied.' : ''}
      </span>
    </Stack>
  );
}

interface KeyListProps {
  keys: ApiKeyView[];
  /** Where the key works: the practice (own keys) or who it acts as (an organisation's keys). */
  place: { label: string; value: (key: ApiKeyView) => string };
  emptyTitle: string;
  emptyText: ReactNode;
  onRevoke: (key: ApiKeyView) => void;
  testId: string;
}

/** Keys as cards (one layout from phone to desktop): name and prefix, what it may do, where, when made, last used, expiry, status. */
export function KeyList({ keys, place, emptyTitle, emptyText, onRevoke, testId }: KeyListProps) {
  if (keys.length === 0) {
    return (
      <EmptyState icon={IconKey} title={emptyTitle}>
        {emptyText}
      </EmptyState>
    );
  }
  return (
    <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="API keys" data-testid={testId}>
      {keys.map((key) => (
        <Stack
          component="li"
          key={key.id}
          gap="sm"
          p={{ base: 'md', sm: 'lg' }}
          data-testid="api-key-row"
          style={{ borderTop: '1px solid var(--mantine-color-gray-2)', opacity: key.status === 'active' ? 1 : 0.75 }}
        >
          <Group justify="space-between" align="flex-start" gap="sm">
            <Stack gap={4} style={{ minWidth: 0, flex: '1 1 240px' }}>
              <Group gap="xs">
                <Text fw={600} className="break-anywhere" data-testid="api-key-name">
                  {key.name}
                </Text>
                {key.forPmsLink ? (
                  <Badge variant="outline" color="indigo" size="sm">
                    PMS link
                  </Badge>
                ) : null}
                {key.kind === 'organisation' ? (
                  <Badge variant="outline" color="grape" size="sm">
                    Organisation key
                  </Badge>
                ) : null}
              </Group>
              <Text size="sm" c="dimmed">
                Starts with <Code data-testid="api-key-prefix">{key.prefix}</Code>
              </Text>
            </Stack>
            <Group gap="sm" wrap="nowrap">
              <KeyStatusBadge status={key.status} />
              {key.status !== 'revoked' ? (
                <Button variant="default" color="red" onClick={() => onRevoke(key)} leftSection={<IconTrash size={16} aria-hidden="true" />} aria-label={`Revoke ${key.name}`}>
                  Revoke
                </Button>
              ) : null}
            </Group>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md" verticalSpacing="xs">
            <Fact term="May do">
              <Stack gap={0} component="span" data-testid="api-key-scopes">
                {scopeLabels(key.scopes).map((label) => (
                  <span key={label}>{label}</span>
                ))}
              </Stack>
            </Fact>
            <Fact term={place.label} testId="api-key-place">
              {place.value(key)}
            </Fact>
            <Fact term="Made">{formatDateTime(key.createdAt)}</Fact>
            <Fact term="Last used" testId="api-key-last-used">
              {describeLastUse(key)}
            </Fact>
            <Fact term={key.status === 'expired' ? 'Expired' : 'Expires'}>{describeExpiry(key)}</Fact>
            {key.revokedAt ? <Fact term="Revoked">{formatDateTime(key.revokedAt)}</Fact> : null}
          </SimpleGrid>
        </Stack>
      ))}
    </Stack>
  );
}

function Fact({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={0} component="dl" m={0}>
      <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
        {term}
      </Text>
      <Text component="dd" m={0} size="sm" className="break-anywhere" data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

/** R-INT-3: revoking is at once, for whatever uses the key; a PMS link's key takes the link's use with it. */
export function RevokeKeyDialog({ apiKey, onClose, onRevoke }: { apiKey: ApiKeyView | null; onClose: () => void; onRevoke: (key: ApiKeyView) => Promise<unknown> }) {
  // The dialog keeps the key it opened with while it closes, so its words do not change under the fade.
  const [shown, setShown] = useState<ApiKeyView | null>(apiKey);
  if (apiKey && apiKey !== shown) setShown(apiKey);
  return (
    <ConfirmDialog
      opened={apiKey !== null}
      onClose={onClose}
      title={shown ? `Revoke “${shown.name}”?` : 'Revoke key'}
      confirmLabel="Revoke key"
      onConfirm={() => (apiKey ? onRevoke(apiKey) : Promise.resolve())}
    >
      <Text size="sm">It stops working at once for whatever uses it. This cannot be undone: make a new key if it is needed again.</Text>
      {shown?.forPmsLink ? <Text size="sm">The practice management system that uses it can no longer reach Motus until the account is linked again.</Text> : null}
    </ConfirmDialog>
  );
}

/** The frame of a card of keys: heading, words, an action, then the list. */
export function KeysCard({ headingId, title, description, action, children, testId }: { headingId: string; title: string; description: ReactNode; action?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p={0} component="section" aria-labelledby={headingId} style={{ overflow: 'hidden' }} data-testid={testId}>
      <Group justify="space-between" align="flex-start" gap="sm" p={{ base: 'md', sm: 'lg' }}>
        <Stack gap={2} style={{ flex: '1 1 320px' }}>
          <Title order={2} size="h4" id={headingId}>
            {title}
          </Title>
          <Text size="sm" c="dimmed" component="div">
            {description}
          </Text>
        </Stack>
        {action}
      </Group>
      {children}
    </Paper>
  );
}
