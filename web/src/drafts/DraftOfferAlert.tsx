import { Alert, Button, Group, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { formatWhen } from '../app/format.ts';
import type { DraftStatus, UseDraftResult } from './useDraft.ts';

/** Offers a draft back: "You have unsaved changes from <time>" with Restore and Discard. */
export function DraftOfferAlert<T>({ draft }: { draft: UseDraftResult<T> }) {
  const [discarding, setDiscarding] = useState(false);
  if (!draft.offer) return null;
  return (
    <Alert
      data-testid="draft-offer"
      role="alert"
      color="indigo"
      variant="light"
      icon={<IconHistory size={20} aria-hidden="true" />}
      title={`You have unsaved changes from ${formatWhen(draft.offer.savedAt)}`}
    >
      <Text size="sm" mb="sm">
        They were kept as a draft. Restore them to carry on where you left off, or discard them to keep what is saved.
      </Text>
      <Group gap="sm">
        <Button size="xs" onClick={draft.restore} aria-label="Restore">
          Restore
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={discarding}
          onClick={async () => {
            setDiscarding(true);
            await draft.discard();
            setDiscarding(false);
          }}
        >
          Discard
        </Button>
      </Group>
    </Alert>
  );
}

/** A quiet line saying where the draft stands, announced politely to screen readers. */
export function DraftStatusText({ status, savedAt }: { status: DraftStatus; savedAt: string | null }) {
  let text = '';
  if (status === 'saving') text = 'Saving draft…';
  else if (status === 'saved' && savedAt) text = `Draft saved ${formatWhen(savedAt)}`;
  else if (status === 'error') text = 'Draft kept on this device; it will be sent when Motus is reachable.';
  return (
    <Text size="xs" c={status === 'error' ? 'orange.8' : 'dimmed'} aria-live="polite" data-testid="draft-status" mih={18}>
      {text}
    </Text>
  );
}
