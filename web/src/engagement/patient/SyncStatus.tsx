import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconDeviceMobile, IconWifiOff } from '@tabler/icons-react';
import { formatWhen } from '../../app/format.ts';
import type { FailedOp } from './outbox.ts';
import type { SyncState } from './useProgramme.ts';

/** R-ENG-2: where what the patient recorded is — on this phone, or with the practice. */
export function SyncStatus({ sync, waiting }: { sync: SyncState; waiting: number }) {
  if (sync === 'idle') return null;
  if (sync === 'pending') {
    return (
      <Alert color="orange" variant="light" icon={<IconDeviceMobile size={24} aria-hidden="true" />} role="status" data-testid="patient-sync-status" data-state="pending">
        <Text fw={600}>Saved on this phone — will be sent when you are online.</Text>
        {waiting > 0 ? <Text size="sm">{waiting === 1 ? '1 tick is waiting.' : `${waiting} ticks are waiting.`}</Text> : null}
      </Alert>
    );
  }
  return (
    <Alert color="green" variant="light" icon={<IconCircleCheck size={24} aria-hidden="true" />} role="status" data-testid="patient-sync-status" data-state="sent">
      <Text fw={600}>Sent to your practice.</Text>
    </Alert>
  );
}

/** The programme shown is the copy on this phone: the server cannot be reached. */
export function OfflineNotice({ savedAt }: { savedAt: string | null }) {
  return (
    <Alert color="gray" variant="light" icon={<IconWifiOff size={24} aria-hidden="true" />} data-testid="patient-offline">
      <Text fw={600}>You are offline.</Text>
      <Text size="sm">
        {savedAt ? `This is your programme as saved on this phone ${formatWhen(savedAt)}.` : 'This is your programme as saved on this phone.'} You can still tick your exercises.
      </Text>
    </Alert>
  );
}

function describeFailed(failed: FailedOp): string {
  const op = failed.op;
  if (op.kind === 'message') return 'A message could not be sent.';
  if (op.kind === 'unentry') return 'Taking back a tick did not work.';
  return op.body.itemIndex === null ? 'A whole session you ticked could not be saved.' : 'A tick could not be saved.';
}

/** Changes the server refused for good (R-ENG-2: never dropped silently); the patient dismisses each. */
export function FailedNotices({ failed, onDismiss }: { failed: FailedOp[]; onDismiss: (seq: number) => void }) {
  if (failed.length === 0) return null;
  return (
    <Stack gap="sm">
      {failed.map((f) => (
        <Alert key={f.op.seq} color="red" variant="light" icon={<IconAlertTriangle size={24} aria-hidden="true" />} data-testid="patient-sync-failed">
          <Stack gap="xs">
            <Text fw={700}>{describeFailed(f)}</Text>
            <Text>{f.message}</Text>
            {f.op.kind === 'message' ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                What you wrote: “{f.op.text}”
              </Text>
            ) : null}
            <Text size="sm">Please contact your practice if you need to tell them.</Text>
            <Group>
              <Button size="lg" variant="default" onClick={() => onDismiss(f.op.seq)} data-testid="patient-sync-failed-dismiss">
                I have read this
              </Button>
            </Group>
          </Stack>
        </Alert>
      ))}
    </Stack>
  );
}
