import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceMobile, IconLogout } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DeviceView } from '../../../../src/engagement/schemas.ts';
import type { ProgrammeView } from '../../../../src/programmes/schemas.ts';
import { ConfirmDialog } from '../../app/ConfirmDialog.tsx';
import { formatWhen } from '../../app/format.ts';
import { EmptyState, ErrorBlock, LoadingBlock } from '../../app/ui.tsx';
import { revokeDevice, useProgrammeDevices } from '../queries.ts';
import { deviceName, devicesInOrder, deviceStatus, timeAgo } from './engagement.ts';

/** The devices that opened the programme, each of which can be signed out (R-PRG-2). */
export function ProgrammeDevices({ programme }: { programme: ProgrammeView }) {
  const devices = useProgrammeDevices(programme.patientId, programme.id);
  const [signingOut, setSigningOut] = useState<DeviceView | null>(null);
  const queryClient = useQueryClient();

  if (devices.isPending) return <LoadingBlock label="Loading devices" />;
  if (devices.isError) return <ErrorBlock error={devices.error} onRetry={() => void devices.refetch()} />;
  if (devices.data.length === 0) {
    return (
      <EmptyState icon={IconDeviceMobile} title="Not opened on any device yet">
        The patient opens the programme on their phone with its code and their year of birth.
      </EmptyState>
    );
  }
  const now = new Date();
  return (
    <>
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid="programme-devices">
        {devicesInOrder(devices.data).map((device) => {
          const status = deviceStatus(device);
          return (
            <Paper key={device.id} component="li" withBorder p="sm" radius="md" data-testid="programme-device" data-signed-out={device.signedOut || undefined}>
              <Group justify="space-between" gap="sm" wrap="wrap">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Group gap={6} wrap="nowrap">
                    <IconDeviceMobile size={16} aria-hidden="true" />
                    <Text size="sm" fw={600} className="break-anywhere">
                      {deviceName(device.label)}
                    </Text>
                    <Badge size="xs" variant="light" color={status.color} tt="none">
                      {status.label}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed">
                    First opened {formatWhen(device.createdAt)} · last seen {timeAgo(device.lastSeenAt, now)}
                  </Text>
                </Stack>
                {!device.signedOut ? (
                  <Button size="xs" variant="default" color="red" leftSection={<IconLogout size={14} aria-hidden="true" />} onClick={() => setSigningOut(device)}>
                    Sign out this device
                  </Button>
                ) : null}
              </Group>
            </Paper>
          );
        })}
      </Stack>
      <ConfirmDialog
        opened={signingOut !== null}
        onClose={() => setSigningOut(null)}
        title="Sign out this device?"
        confirmLabel="Sign out this device"
        onConfirm={async () => {
          if (!signingOut) return;
          await revokeDevice(queryClient, programme.patientId, programme.id, signingOut.id);
          notifications.show({ color: 'motus', message: `${deviceName(signingOut.label)} was signed out of ${programme.title}.` });
        }}
      >
        <Text size="sm">
          The programme closes at once on this device{signingOut ? ` (${signingOut.label.trim()})` : ''}. To open it again there, the patient needs
          the programme code and their year of birth. What they recorded so far is kept.
        </Text>
      </ConfirmDialog>
    </>
  );
}
