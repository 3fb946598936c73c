import { Alert, Button, Group, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from './api.ts';
import { Dialog } from './Dialog.tsx';

interface ConfirmDialogProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  /** The confirm button's name; it may repeat the name of the button that opened the dialog. */
  confirmLabel: string;
  color?: string;
  /** Does the work; the dialog closes when it succeeds and shows why when it fails. */
  onConfirm: () => Promise<unknown>;
}

/** "Are you sure?" for one action that cannot simply be undone: Cancel, or the action itself. */
export function ConfirmDialog({ opened, onClose, title, children, confirmLabel, color = 'red', onConfirm }: ConfirmDialogProps) {
  const action = useMutation({ mutationFn: onConfirm, onSuccess: onClose });
  return (
    <Dialog opened={opened} onClose={onClose} title={title} size="md" onExitTransitionEnd={() => action.reset()}>
      <Stack gap="md">
        {children}
        {action.isError ? (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            {errorMessage(action.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={color} loading={action.isPending} onClick={() => action.mutate()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
