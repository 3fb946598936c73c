/** Pieces the member action dialogs share: their props, the problem alert, the buttons, the programme counts. */
import { Alert, Button, Group, Paper, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { MemberView } from '../../../src/memberships/schemas.ts';
import type { ProgrammeCountsView } from '../../../src/programmes/schemas.ts';
import { errorMessage } from '../app/api.ts';
import type { useProgrammeCounts } from '../programmes/queries.ts';

export interface MemberDialogProps {
  member: MemberView;
  opened: boolean;
  onClose: () => void;
}

/** A dialog that offers the transfer dialog before its own action (R-PRA-3, R-PRA-6). */
export interface OffersTransfer {
  onTransfer: () => void;
}

export function ProblemAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
      {children}
    </Alert>
  );
}

export function DialogButtons({ children, onCancel }: { children: ReactNode; onCancel: () => void }) {
  return (
    <Group justify="flex-end" gap="sm" mt="xs">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      {children}
    </Group>
  );
}

/** The member's programme counts in a dialog (R-PAT-2: counts only), or why they could not be read. */
export function ProgrammeImpact({ counts, children }: { counts: ReturnType<typeof useProgrammeCounts>; children: (data: ProgrammeCountsView) => ReactNode }) {
  if (counts.isPending) {
    return (
      <Text size="sm" c="dimmed" role="status">
        Counting their programmes…
      </Text>
    );
  }
  if (counts.isError) {
    return (
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
        Their programmes could not be counted: {errorMessage(counts.error)}
      </Alert>
    );
  }
  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0">
      {children(counts.data)}
    </Paper>
  );
}
